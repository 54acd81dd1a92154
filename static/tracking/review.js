// The review queue: a checkbox in each unit's table header ticks or clears that table's items.
// A file of its own because the Content-Security-Policy runs no inline script.
document.addEventListener("change", function (event) {
  var master = event.target;
  if (!master.matches || !master.matches("input[data-select-all]")) {
    return;
  }
  var table = master.closest("table");
  table.querySelectorAll('input[name="items"]:not([disabled])').forEach(function (box) {
    box.checked = master.checked;
  });
});
