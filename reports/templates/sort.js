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
  // The searchable, paginated view of a long table: rows drawn from the embedded JSON one page
  // at a time, written as text (textContent), never parsed as HTML.
  function pagedView(table, source) {
    var rows = JSON.parse(source.textContent).rows;
    var size = Number(table.getAttribute("data-page-rows")) || 50;
    var search = document.getElementById("material-search");
    var count = document.getElementById("material-count");
    var prev = document.getElementById("material-prev");
    var next = document.getElementById("material-next");
    var shown = rows.slice();
    var page = 0;
    function value(cell) {
      var raw = cell[1] === null ? cell[0].trim() : cell[1];
      if (raw === "") { return null; }
      var number = Number(raw);
      return isNaN(number) ? String(raw).toLowerCase() : number;
    }
    function draw() {
      var body = table.tBodies[0];
      var pages = Math.max(1, Math.ceil(shown.length / size));
      page = Math.max(0, Math.min(page, pages - 1));
      while (body.firstChild) { body.removeChild(body.firstChild); }
      shown.slice(page * size, (page + 1) * size).forEach(function (row) {
        var tr = document.createElement("tr");
        if (row[0]) { tr.className = row[0]; }
        row[1].forEach(function (cell) {
          var td = document.createElement("td");
          td.textContent = cell[0];
          if (cell[2]) { td.className = cell[2]; }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      count.textContent = shown.length + " of " + rows.length + " materials; page " +
        (page + 1) + " of " + pages;
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    search.addEventListener("input", function () {
      var query = search.value.trim().toLowerCase();
      shown = rows.filter(function (row) {
        return row[1][0][0].toLowerCase().indexOf(query) !== -1;
      });
      page = 0;
      draw();
    });
    prev.addEventListener("click", function () { page -= 1; draw(); });
    next.addEventListener("click", function () { page += 1; draw(); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      header.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        var keyed = shown.map(function (row, index) {
          return { row: row, key: value(row[1][column]), index: index };
        });
        keyed.sort(function (x, y) {
          var order = compare(x.key, y.key);
          if (order !== 0 && x.key !== null && y.key !== null && !ascending) { order = -order; }
          return order !== 0 ? order : x.index - y.index;
        });
        shown = keyed.map(function (item) { return item.row; });
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
          cell.removeAttribute("aria-sort");
        });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        page = 0;
        draw();
      });
    });
    draw();
  }
  var paged = document.getElementById("material-all");
  var data = document.getElementById("material-data");
  if (paged && data) { pagedView(paged, data); }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      if (header.querySelector("button")) {  // the button makes it reachable by keyboard
        header.addEventListener("click", function () { sortBy(table, header, column); });
      }
    });
  });
})();
