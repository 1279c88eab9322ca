"""``python -m tcfit`` runs the command-line interface."""

from tcfit.cli import main

main()
