// The console's only script: progressive enhancement, nothing depends on it.
// Buttons marked data-print open the browser's print dialog (inline handlers are barred by CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
});
