// The pages' own behaviour, from a file: the Content-Security-Policy allows no inline script.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("button.print")) {
    window.print();
  }
});
