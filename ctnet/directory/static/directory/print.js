// The print button of the printable list: a script file, since the CSP refuses inline handlers.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
