(function () {
  "use strict";
  // Sort a table by the clicked column: numbers by value (from data-sort), text alphabetically,
  // empty cells last; a second click reverses. No library, no network.
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (raw === "") { return null; }
    var number = Number(raw);
    return isNaN(number) ? raw.toLowerCase() : number;
  }
  function compare(a, b) {
    if (a === null || b === null) { return a === b ? 0 : (a === null ? 1 : -1); }
    if (typeof a === typeof b) { return a < b ? -1 : (a > b ? 1 : 0); }
    return typeof a === "number" ? -1 : 1;
  }
  function sortBy(table, header, column) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.map.call(body.rows, function (row, index) {
      return { row: row, key: key(row.cells[column]), index: index };
    });
    rows.sort(function (x, y) {
      var order = compare(x.key, y.key);
      if (order !== 0 && x.key !== null && y.key !== null && !ascending) { order = -order; }
      return order !== 0 ? order : x.index - y.index;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (item) { body.appendChild(item.row); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      if (header.querySelector("button")) {  // the button makes it reachable by keyboard
        header.addEventListener("click", function () { sortBy(table, header, column); });
      }
    });
  });
})();
