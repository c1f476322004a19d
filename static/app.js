// Small enhancements for the chat page; everything works without this script.
(function () {
  "use strict";
  const form = document.getElementById("answer-form");
  const nextButton = document.getElementById("next-question");
  const current = document.getElementById("current");
  let shownAt = Date.now();

  function reveal() {
    if (current) current.classList.remove("pending");
    if (nextButton) nextButton.parentElement.remove();
    shownAt = Date.now();
    const box = document.getElementById("answer");
    if (box) { box.focus(); current.scrollIntoView({ behavior: "smooth", block: "start" }); }
  }

  if (nextButton) {
    nextButton.addEventListener("click", reveal);
    const latest = document.querySelector("[data-latest]");
    if (latest) latest.scrollIntoView({ block: "start" });
    nextButton.focus();
  } else if (form) {
    const box = document.getElementById("answer");
    if (box) box.focus();
  }

  if (form) {
    const box = form.querySelector("textarea");
    const key = "rehearse-draft:" + form.action + ":" + form.querySelector("[name=question_id]").value;
    // Keep a draft so a reload or a lost connection loses nothing typed.
    if (box && !box.value) box.value = localStorage.getItem(key) || "";
    box.addEventListener("input", () => localStorage.setItem(key, box.value));
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", (event) => {
      if (!box.value.trim()) {
        event.preventDefault();
        box.setCustomValidity("Type your answer first.");
        box.reportValidity();
        box.setCustomValidity("");
        return;
      }
      form.querySelector("[name=time_taken_ms]").value = String(Date.now() - shownAt);
      const send = document.getElementById("send");
      send.disabled = true;
      send.textContent = "Grading…";
      localStorage.removeItem(key);
    });
  }
})();
