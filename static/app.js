// Small enhancements for the chat page; everything works without this script.
(function () {
  "use strict";
  // The navigation link of the section this page belongs to is marked as the current
  // page (for screen readers, and underlined by the stylesheet): /history/abc is in
  // History, an interview is practice, a question's attempts are history.
  (function markCurrentSection() {
    const path = location.pathname;
    const section = path.startsWith("/interviews") ? "/practice" : path.startsWith("/questions/") ? "/history" : path;
    let best = null;
    for (const link of document.querySelectorAll(".top nav a[href^='/']")) {
      const href = link.getAttribute("href");
      if ((section === href || section.startsWith(href + "/")) && (!best || href.length > best.getAttribute("href").length)) {
        best = link;
      }
    }
    if (best) best.setAttribute("aria-current", "page");
  })();
  // The sticky header would hide what the keyboard moves to near the top (a focused
  // "undo" sat under it in a walk-through): the page scrolls by its height.
  (function keepFocusClearOfHeader() {
    const header = document.querySelector(".top");
    if (!header) return;
    const fit = () => {
      document.documentElement.style.scrollPaddingTop = Math.ceil(header.getBoundingClientRect().height) + 8 + "px";
    };
    fit();
    window.addEventListener("resize", fit);
  })();
  const current = document.getElementById("current");
  const nextButton = document.getElementById("next-question");
  const timer = document.getElementById("timer");
  const answerForm = document.getElementById("answer-form");
  // When the current question was first shown, kept across reloads so the timer and
  // the time taken do not restart.
  const shownKey = answerForm
    ? "rehearse-shown:" + answerForm.action + ":" + answerForm.querySelector("[name=question_id]").value
    : null;
  let shownAt = Date.now();
  let ticking = null;

  function markShown() {
    const stored = shownKey ? Number(localStorage.getItem(shownKey)) : 0;
    shownAt = stored > 0 ? stored : Date.now();
    if (shownKey && !stored) localStorage.setItem(shownKey, String(shownAt));
  }

  // The countdown itself is silent (aria-live=off: a reading every second would drown
  // everything else); its warnings are said once each through a polite status.
  const timerStatus = document.getElementById("timer-status");
  let warned = false;

  function startTimer() {
    if (!timer || ticking) return;
    const total = Number(timer.dataset.seconds) || 0;
    const render = () => {
      const left = total - Math.floor((Date.now() - shownAt) / 1000);
      if (left <= 0) {
        timer.textContent = "time's up";
        timer.classList.add("over");
        if (timerStatus) timerStatus.textContent = "Time's up: wrap up and send your answer.";
        clearInterval(ticking);
        return;
      }
      if (left <= 30 && total > 30 && !warned && timerStatus) {
        warned = true;
        timerStatus.textContent = left + " seconds left.";
      }
      timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + " left";
    };
    render();
    ticking = setInterval(render, 1000);
  }

  // A refused answer is rendered at the form's URL; show the interview's own URL so a
  // reload does not re-send the form.
  const refusedAt = location.pathname.match(/^(\/interviews\/[^/]+)\/(answer|follow-up)$/);
  if (refusedAt) history.replaceState(null, "", refusedAt[1]);

  // Moving on from a follow-up shows what it held back: the concept it asked for
  // (hidden while the learner could still reply).
  let heldBackShown = false;
  function showHeldBack() {
    heldBackShown = true;
    document.querySelectorAll("[data-held-back]").forEach((e) => { e.hidden = false; });
    document.querySelectorAll("[data-held-back-note]").forEach((e) => e.remove());
    // The feedback's "asks about one more point" now names the point (here, not only
    // when the follow-up ends: a claim swaps in the feedback as the server holds it).
    document.querySelectorAll("[data-after-follow-up]").forEach((p) => {
      p.textContent = p.dataset.afterFollowUp;
      delete p.dataset.afterFollowUp;
    });
  }

  // Leaving a follow-up without a reply (Skip, Next, Finish, or opening the model answer
  // that gives it away): its reply box goes, "Not answered" takes its place, what it held
  // back shows, and with no question left the heading says the interview is complete.
  function endFollowUp() {
    showHeldBack();
    const followUpForm = document.getElementById("follow-up-form");
    if (!followUpForm || followUpForm.hidden) return;
    followUpForm.hidden = true;
    document.querySelectorAll("[data-not-answered]").forEach((e) => { e.hidden = false; });
    const openNote = document.getElementById("follow-up-open-note");
    if (openNote) openNote.hidden = true;
    const heading = document.getElementById("progress");
    if (heading && heading.dataset.done) heading.textContent = heading.dataset.done;
    if (heading && heading.dataset.doneTitle) document.title = heading.dataset.doneTitle;
  }

  // Opening the model answer while a follow-up waits gives it away: it ends the
  // follow-up (as Skip does, without moving on) and shows what it held back.
  // It asks first: the reply box goes with it (a walk-through lost the follow-up that
  // way without a word).
  document.querySelectorAll("details[data-ends-follow-up]").forEach((details) => {
    const summary = details.querySelector("summary");
    if (summary) {
      summary.addEventListener("click", (event) => {
        const followUpForm = document.getElementById("follow-up-form");
        if (details.open || !followUpForm || followUpForm.hidden) return;
        const reply = followUpForm.querySelector("textarea");
        const typed = reply && reply.value.trim() !== "";
        const question =
          "Show the model answer? It answers the follow-up, so the follow-up ends without a reply" +
          (typed ? " and what you typed for it is not sent." : ".");
        if (!window.confirm(question)) event.preventDefault();
      });
    }
    details.addEventListener("toggle", () => {
      if (details.open) endFollowUp();
    });
  });

  function reveal() {
    // Moving on skips an unanswered follow-up: only one answer box stays active.
    endFollowUp();
    if (current) current.classList.remove("pending");
    const heading = document.getElementById("progress");
    if (heading && heading.dataset.next) heading.textContent = heading.dataset.next;
    // The tab's title moves on with the heading (it still named the answered question).
    if (heading && heading.dataset.nextTitle) document.title = heading.dataset.nextTitle;
    document.querySelectorAll(".next-inline").forEach((p) => p.remove());
    markShown();
    startTimer();
    const box = document.getElementById("answer");
    if (box) {
      // The question is brought in view below the sticky header (its scroll-margin-top),
      // then the keyboard goes to the answer box without a jump of its own: focused
      // first, the box was scrolled to at once and the question could stay under the
      // header.
      const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      current.scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
      box.focus({ preventScroll: true });
    }
  }

  const skip = document.getElementById("skip-follow-up");
  if (skip) skip.addEventListener("click", reveal);
  // The last follow-up: finishing without a reply closes it and goes to the summary.
  // Kept in this browser, as moving on from an earlier one is (the next question shown
  // stays shown): opened again, the finished interview does not offer the follow-up
  // again with the keyboard in its box.
  const finish = document.getElementById("finish-interview");
  const followUpId = document.querySelector("#follow-up-form [name=attempt_id]");
  const finishedKey = finish && followUpId ? "rehearse-finished:" + followUpId.value : null;
  const finishedBefore = !!finishedKey && !!localStorage.getItem(finishedKey);
  if (finish) {
    finish.addEventListener("click", (event) => {
      event.preventDefault();
      endFollowUp();
      if (finishedKey) localStorage.setItem(finishedKey, "1");
      const summary = document.getElementById("summary");
      if (summary) summary.focus();
    });
  }
  if (finishedBefore) endFollowUp();

  // Just after an answer is sent the page comes back at its feedback (#a-<id>): the
  // keyboard goes there and a screen reader hears the score. Reloaded, the page is not
  // just graded: the keyboard goes to the box waiting for input, as when opened.
  const latest = document.querySelector("[data-latest]");
  const navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  const reloaded = !!navigation && navigation.type === "reload";
  const justGraded = latest && location.hash === "#" + latest.id && !reloaded;
  // A follow-up finished without a reply before is not offered again (see above).
  const followUpBox = finishedBefore ? null : document.getElementById("follow-up-answer");
  // A link to a place in the transcript (#a-<id> from the history) keeps its view.
  const focusFollowUp = () => followUpBox.focus({ preventScroll: location.hash !== "" });
  const resultStatus = document.getElementById("result-status");
  if (justGraded && resultStatus && resultStatus.dataset.announce) {
    // Filled a moment after load: a live region that already holds text when the
    // page appears is not read out.
    setTimeout(() => { resultStatus.textContent = resultStatus.dataset.announce; }, 400);
  }

  if (nextButton && shownKey && localStorage.getItem(shownKey)) {
    // The question was already on screen before a reload: show it again at once.
    reveal();
  } else if (nextButton) {
    // First thing inside the feedback that takes the keyboard after an answer (one Tab
    // away), before the concepts' buttons.
    nextButton.addEventListener("click", reveal);
    // After the browser's jump to the anchor, put the keyboard on the feedback just
    // given, or else where the user goes next.
    setTimeout(() => {
      if (justGraded) latest.focus({ preventScroll: true });
      else if (followUpBox) focusFollowUp();
      else {
        // Reloaded, the page keeps its place, which can leave the button under the
        // sticky header: scrolled just enough to show it whole (its scroll-margin-top).
        nextButton.focus({ preventScroll: true });
        nextButton.scrollIntoView({ block: "nearest" });
      }
    }, 0);
  } else if (justGraded) {
    setTimeout(() => latest.focus({ preventScroll: true }), 0);
  } else if (current) {
    const box = document.getElementById("answer");
    if (box) box.focus();
    markShown();
    startTimer();
  } else if (followUpBox) {
    // No question left, but the last answer's follow-up waits for a reply: the keyboard
    // goes to its box, not the page's start (~18 Tabs away).
    setTimeout(focusFollowUp, 0);
  } else if (location.hash.startsWith("#follow-up-")) {
    // The reply to the last follow-up came back graded and nothing is left to ask: the
    // keyboard goes to that exchange (its verdict follows it), not the page's start.
    const exchange = document.getElementById(location.hash.slice(1));
    if (exchange) {
      exchange.setAttribute("tabindex", "-1");
      setTimeout(() => exchange.focus({ preventScroll: true }), 0);
    }
  }

  // A table wider than its box scrolls sideways inside it; a line above says so, since
  // on a phone the columns past the edge are otherwise simply not there to the eye.
  function markScrollingTables() {
    document.querySelectorAll(".table-wrap, .compare-wrap").forEach((wrap) => {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      const hint = wrap.previousElementSibling;
      const hasHint = hint && hint.classList.contains("scroll-hint");
      if (scrolls && !hasHint) {
        const p = document.createElement("p");
        p.className = "scroll-hint";
        p.setAttribute("aria-hidden", "true"); // the region's label says it already
        p.textContent = "More columns: scroll the table sideways \u2192";
        wrap.insertAdjacentElement("beforebegin", p);
      } else if (!scrolls && hasHint) {
        hint.remove();
      }
    });
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);

  // Every answer box: Ctrl/Cmd+Enter sends, a draft survives reloads, sending shows progress.
  // A draft is kept until a page shows that its answer was taken (the form is gone or
  // asks another question), not dropped when Send is pressed: an answer sent after the
  // session ended comes back in its box after logging in again.
  const pageDrafts = new Set();
  const pageActions = new Set();
  document.querySelectorAll("form.answer-form").forEach((form) => {
    const box = form.querySelector("textarea");
    if (!box) return;
    const idField = form.querySelector("[name=question_id], [name=attempt_id]");
    // A retry box asks the same question again after each retry: the attempt it follows
    // (`data-draft`) tells one retry's draft from the next's.
    const key =
      "rehearse-draft:" + form.action + ":" + (idField ? idField.value : "") + ":" + box.name + box.id +
      (form.dataset.draft ? ":" + form.dataset.draft : "");
    pageDrafts.add(key);
    pageActions.add(form.action);
    if (!box.value) box.value = localStorage.getItem(key) || "";
    // The limit is said, not enforced by cutting: a `maxlength` cut a long paste at
    // 10,000 characters without a word (a browser walk-through, 2026-12-06).
    const max = Number(box.dataset.maxChars) || 0;
    const tooLong = () => {
      // Without the blanks around it, as the server counts it.
      const length = [...box.value.trim()].length;
      return max && length > max
        ? "Your answer is " + length.toLocaleString("en") + " characters long; the limit is " +
          max.toLocaleString("en") + ". Shorten it before sending: nothing is cut for you."
        : "";
    };
    // Why the answer cannot be sent, in one line under the box (announced, and tied to
    // the box so a screen reader reads it again there). The browser's own bubble is
    // turned off (novalidate): it covered this line with a second message, and it
    // said nothing for an answer of only spaces. Without this script `required` stays.
    form.noValidate = true;
    const noteId = box.id + "-problem";
    const describedBy = (box.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== noteId);
    const say = (text) => {
      let note = form.querySelector(".empty-answer");
      if (!text) {
        if (note) note.remove();
        box.removeAttribute("aria-invalid");
        if (describedBy.length) box.setAttribute("aria-describedby", describedBy.join(" "));
        else box.removeAttribute("aria-describedby");
        return;
      }
      if (!note) {
        note = document.createElement("p");
        note.className = "empty-answer";
        note.id = noteId;
        note.setAttribute("role", "alert");
        box.insertAdjacentElement("afterend", note);
      }
      note.textContent = text;
      box.setAttribute("aria-invalid", "true");
      box.setAttribute("aria-describedby", [noteId, ...describedBy].join(" "));
    };
    box.addEventListener("input", () => {
      localStorage.setItem(key, box.value);
      say(tooLong());
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", (event) => {
      const skipping = event.submitter && event.submitter.name === "skip";
      // Skipping drops what was typed: ask first when there is something.
      if (skipping && box.value.trim() && !window.confirm("Skip this question? The answer you typed will not be sent or kept. (Send answer grades it instead.)")) {
        event.preventDefault();
        return;
      }
      if (skipping) {
        form.querySelectorAll("button").forEach((b) => (b.disabled = true));
        event.submitter.dataset.label = event.submitter.textContent;
        event.submitter.textContent = "Skipping…";
        // A disabled submitter is not sent: say it in a field instead.
        const flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "skip";
        flag.value = "1";
        form.appendChild(flag);
        localStorage.removeItem(key);
        return;
      }
      if (!box.value.trim()) {
        event.preventDefault();
        // Said once, in the line under the box, which stays until the learner types
        // (drawn again, so a second press is announced again).
        say("");
        say(box.value ? "Type your answer first: only spaces were entered." : "Type your answer first: the box is empty.");
        box.focus();
        return;
      }
      if (tooLong()) {
        event.preventDefault();
        say("");
        say(tooLong());
        box.focus();
        return;
      }
      const took = form.querySelector("[name=time_taken_ms]");
      if (took) {
        took.value = String(Date.now() - shownAt);
        if (shownKey) localStorage.removeItem(shownKey);
      }
      const send = form.querySelector("button[type=submit]:not([name=skip])");
      send.disabled = true;
      send.dataset.label = send.textContent;
      send.textContent = "Grading…";
      const skip = form.querySelector("button[name=skip]");
      if (skip) skip.disabled = true;
    });
  });
  // Drafts of this page's forms whose answer was taken (no form here asks for them any
  // more) are done with.
  try {
    Object.keys(localStorage)
      .filter((k) => k.startsWith("rehearse-draft:") && !pageDrafts.has(k))
      .filter((k) => [...pageActions].some((a) => k.startsWith("rehearse-draft:" + a + ":")))
      .forEach((k) => localStorage.removeItem(k));
  } catch (_) {
    // storage unavailable: nothing was kept
  }
  // Returning to a page whose send was interrupted (the back button, a stopped load)
  // must not leave its buttons saying "Grading…".
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form.answer-form button[disabled]").forEach((b) => {
      b.disabled = false;
      if (b.dataset.label) b.textContent = b.dataset.label;
    });
  });

  // A form sent back with an error (a wrong current password, a name taken) opens with
  // that error in view and its form's first field focused, not at the top of a long
  // page on a phone. The interview has its own focus handling.
  const pageError = [...document.querySelectorAll("p.error[role=alert]")].find((e) => !e.closest(".chat"));
  if (pageError) {
    pageError.scrollIntoView({ block: "center" });
    const next = pageError.nextElementSibling;
    const form = pageError.closest("form") || (next && next.tagName === "FORM" ? next : null);
    // The field the page marks with autofocus (the password, after a wrong one) if any:
    // browsers apply autofocus after this script runs, so the first field would win.
    const field =
      form &&
      (form.querySelector("[autofocus]") || form.querySelector("input:not([type=hidden]), textarea, select"));
    if (field && document.activeElement === document.body) field.focus({ preventScroll: true });
  }

  // Links meant to be copied and sent (a group's invite link) show their full address.
  document.querySelectorAll("a[data-absolute]").forEach((a) => {
    const code = a.querySelector("code") || a;
    code.textContent = a.href;
  });

  // The group's invite link, copied with one click; where the browser refuses the
  // clipboard (a page not served over HTTPS), the link is selected for Ctrl+C instead.
  const copyInvite = document.getElementById("copy-invite");
  if (copyInvite) {
    copyInvite.addEventListener("click", () => {
      const link = document.getElementById("invite-link");
      const status = document.getElementById("copy-status");
      const select = () => {
        const range = document.createRange();
        range.selectNodeContents(link.querySelector("code") || link);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = "The link is selected: press Ctrl+C (or \u2318C) to copy it.";
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link.href).then(() => { status.textContent = "Copied."; }, select);
      } else {
        select();
      }
    });
  }

  // "End interview" and other buttons that cannot be undone ask first (data-confirm).
  document.addEventListener("click", (event) => {
    const button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    // With a follow-up waiting for its reply, the question says it is left without one
    // (data-confirm-follow-up); with an answer being typed, that it is not sent
    // (data-confirm-typed).
    const followUpForm = document.getElementById("follow-up-form");
    const waiting = button && button.hasAttribute("data-confirm-follow-up") && followUpForm && !followUpForm.hidden;
    const box = document.getElementById("answer");
    const typed = button && button.hasAttribute("data-confirm-typed") && box && box.value.trim() !== "";
    const question =
      button && button.getAttribute(waiting ? "data-confirm-follow-up" : typed ? "data-confirm-typed" : "data-confirm");
    if (button && !window.confirm(question)) event.preventDefault();
  });

  // Speak your answer: where the browser offers speech recognition, a button dictates
  // into the answer box (appended to what is there, editable before sending). Hidden
  // elsewhere; typing works the same either way. `window.rehearseSpeech()` sets it up
  // again (the browser tests use it to try both paths).
  function setupSpeech() {
    const old = document.getElementById("speak");
    if (!old || !answerForm) return;
    const speak = old.cloneNode(true); // a fresh button drops earlier listeners
    old.replaceWith(speak);
    // The icon stays; only the word changes (Speak / Stop).
    const label = speak.querySelector(".label");
    const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    speak.hidden = !Recognition;
    if (!Recognition) return;
    const box = document.getElementById("answer");
    const spokenField = answerForm.querySelector("[name=spoken]");
    const status = document.getElementById("speech-status");
    let recognition = null;
    let before = "";
    const ended = (message) => {
      recognition = null;
      speak.setAttribute("aria-pressed", "false");
      label.textContent = "Speak";
      status.textContent = message;
    };
    speak.addEventListener("click", () => {
      if (recognition) {
        recognition.stop();
        return;
      }
      const r = new Recognition();
      recognition = r;
      r.continuous = true;
      r.interimResults = true;
      r.lang = document.documentElement.lang || "en";
      before = box.value && !/\s$/.test(box.value) ? box.value + " " : box.value;
      r.onresult = (event) => {
        let text = "";
        for (let i = 0; i < event.results.length; i++) text += event.results[i][0].transcript;
        box.value = before + text.trim();
        box.dispatchEvent(new Event("input"));
        spokenField.value = "1";
      };
      r.onerror = (event) => {
        const refused = event.error === "not-allowed" || event.error === "service-not-allowed";
        ended(refused ? "Microphone access was refused; you can still type your answer."
          : event.error === "no-speech" ? "No speech heard; try again or type your answer."
          : "Dictation stopped (" + event.error + "); you can still type your answer.");
      };
      r.onend = () => {
        if (recognition === r) ended("Dictation stopped; edit the text if you like, then send.");
        box.focus();
      };
      try {
        r.start();
      } catch (_) {
        ended("Dictation could not start; type your answer instead.");
        return;
      }
      speak.setAttribute("aria-pressed", "true");
      label.textContent = "Stop";
      status.textContent = "Listening: speak your answer, then press Stop.";
    });
    answerForm.addEventListener("submit", () => recognition && recognition.stop());
  }
  window.rehearseSpeech = setupSpeech;
  setupSpeech();

  // Drafts and question timings are kept in this browser's storage; logging out (here
  // or everywhere) takes them away, so the next person at this browser does not see them.
  document.addEventListener("submit", (event) => {
    const action = event.target.getAttribute ? event.target.getAttribute("action") : null;
    if (!action || !/^\/(logout|account\/logout-everywhere)$/.test(action)) return;
    try {
      Object.keys(localStorage)
        .filter((k) => /^rehearse-(draft|shown|finished):/.test(k))
        .forEach((k) => localStorage.removeItem(k));
    } catch (_) {
      // storage unavailable: nothing was kept
    }
  });

  // Claims ("I covered this", "I got this wrong", "undo"): plain forms that post and come
  // back to this page. Here they are sent in the background instead, and the parts of
  // the page they change (ids in data-swap) are taken from the page the server sends
  // back, so the keyboard stays where it was and nothing else on the page is lost.
  const claimStatus = document.getElementById("claim-status");
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest ? event.target.closest("form.claim-form") : null;
    if (!form || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    const key = form.closest("[data-claim-key]")?.dataset.claimKey;
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      });
    } catch (_) {
      form.submit(); // offline or blocked: the ordinary form post still works
      return;
    }
    if (response.redirected && new URL(response.url).pathname === "/login") {
      // The session ended: log in again, then come back to this page.
      location.href = "/login?next=" + encodeURIComponent(location.pathname);
      return;
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    if (!response.ok) {
      if (button) button.disabled = false;
      const reason = page.querySelector(".error");
      if (claimStatus) claimStatus.textContent = reason ? reason.textContent : "That did not work; please try again.";
      return;
    }
    for (const id of (form.dataset.swap || "").split(" ").filter(Boolean)) {
      const now = document.getElementById(id);
      const next = page.getElementById(id);
      if (now && next) now.replaceWith(document.adoptNode(next));
    }
    // The server still holds back what the follow-up asks for; the learner has moved on.
    if (heldBackShown) showHeldBack();
    // Put the keyboard on the concept's new control (the "undo", or the claim again).
    const control = Array.from(document.querySelectorAll("[data-claim-key]")).find((c) => c.dataset.claimKey === key);
    const focusable = control && control.querySelector("button");
    if (focusable) focusable.focus();
    if (claimStatus) claimStatus.textContent = form.dataset.done || "";
  });

  // A second click while a page's form is being sent (a double click on "Start") would
  // post it twice: the first send stands, later ones from the same page view are dropped.
  // Handlers on the form itself run first, so a send they stopped (an empty answer) does
  // not count; coming back to the page (the back button) makes its forms sendable again.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method !== "post" || form.classList.contains("claim-form")) return;
    if (event.defaultPrevented) return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
  });
  window.addEventListener("pageshow", (event) => {
    // A logged-in page the browser kept in memory (Back after logging out, on a shared
    // computer) is asked of the server again, which sends a logged-out visitor to the
    // login page instead of showing someone's history.
    if (event.persisted && document.querySelector('form[action="/logout"]')) {
      window.location.reload();
      return;
    }
    document.querySelectorAll("form[data-sending]").forEach((form) => delete form.dataset.sending);
  });
})();

// Question authoring: the Test button grades the sample against the form as typed, in
// place (POST /api/v1/admin/questions/preview); without this script it posts the form
// and the page comes back with the verdict.
(function () {
  "use strict";
  const form = document.getElementById("question-form");
  const test = document.getElementById("preview-test");
  const result = document.getElementById("preview-result");
  if (!form || !test || !result) return;
  const lines = (name) =>
    (form.elements[name] ? form.elements[name].value : "").split("\n").map((l) => l.trim()).filter((l) => l);
  function line(text) {
    const p = document.createElement("p");
    p.className = "small";
    p.textContent = text;
    return p;
  }
  test.addEventListener("click", async (event) => {
    event.preventDefault();
    const question = {
      id: form.elements.id ? form.elements.id.value : "",
      topic_id: form.elements.topic_id.value,
      prompt: form.elements.prompt.value,
      answer: form.elements.answer.value,
      keywords: lines("keywords").map((l) => {
        const at = l.indexOf("::");
        return at < 0 ? { concept: l } : { concept: l.slice(0, at).trim(), hint: l.slice(at + 2).trim() || null };
      }),
      relations: lines("relations"),
      follow_ups: lines("follow_ups"),
      difficulty: Number(form.elements.difficulty.value) || 1,
      ordered: form.elements.ordered.checked,
      // One a line: "subject :: claim :: correction" or "claim :: correction".
      misconceptions: lines("misconceptions").map((l) => {
        const parts = l.split("::").map((p) => p.trim());
        if (parts.length >= 3) return { subject: parts[0], claim: parts[1], correction: parts.slice(2).join("::").trim() };
        if (parts.length === 2) return { claim: parts[0], correction: parts[1] };
        return { claim: l, correction: "" };
      }),
    };
    // No sample typed: the model answer is graded against the keywords (as the page
    // does without this script).
    const own = !form.elements.sample.value.trim() && question.answer.trim() !== "";
    result.textContent = "Grading…";
    try {
      const response = await fetch("/api/v1/admin/questions/preview", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ question, sample: own ? question.answer : form.elements.sample.value }),
      });
      const body = await response.json();
      result.textContent = "";
      if (!response.ok) {
        const error = line((body.error && body.error.message) || "The sample could not be graded.");
        error.className = "error";
        error.setAttribute("role", "alert");
        result.append(error);
        return;
      }
      if (own) {
        const note = line("No sample answer was typed, so this is the model answer graded against the keywords: anything under Missed is a concept a learner who answers in the model answer's words would be told they missed.");
        note.className = "muted small";
        note.id = "preview-own";
        result.append(note);
      }
      const head = document.createElement("p");
      head.textContent = Math.round(body.score * 100) + "% · " + body.band;
      result.append(
        head,
        line("Covered: " + (body.covered.join(", ") || "none")),
        line("Missed: " + (body.missed.join(", ") || "none")),
      );
      if (body.contradicted.length) result.append(line("Contradicted: " + body.contradicted.join(", ")));
      (body.checks || []).forEach((check) => result.append(line(check)));
      if (body.unsure) result.append(line("Unsure: it explains through a comparison or in its own words rather than the subject's terms, or the model answer is one short line, so a learner's answer like it would not be counted."));
      // The keyword checks of the form as typed (saving shows them too).
      const warnings = body.keyword_warnings || [];
      if (warnings.length) {
        const checks = document.createElement("div");
        checks.className = "notice warn";
        checks.id = "preview-keyword-checks";
        const title = line("Keyword checks (advice: the question works either way)");
        const list = document.createElement("ul");
        warnings.forEach((w) => {
          const item = document.createElement("li");
          item.textContent = w.message;
          list.append(item);
        });
        checks.append(title, list);
        result.append(checks);
      }
    } catch (e) {
      form.requestSubmit(test);
    }
  });
})();

// Notes import: a chosen file is read into the text box (and its name into the name
// field), so it is sent with the form; without this script the text is pasted.
(function () {
  var file = document.getElementById("notes-file");
  var text = document.getElementById("notes-text");
  var name = document.getElementById("notes-file-name");
  if (!file || !text || !name || !window.FileReader) return;
  file.addEventListener("change", function () {
    var chosen = file.files && file.files[0];
    if (!chosen) return;
    var reader = new FileReader();
    reader.onload = function () {
      text.value = String(reader.result || "");
      name.value = chosen.name;
      text.focus();
    };
    reader.onerror = function () {
      var message = document.getElementById("notes-read-error") || document.createElement("p");
      message.id = "notes-read-error";
      message.className = "error";
      message.setAttribute("role", "alert");
      message.textContent = "That file could not be read; paste its text instead.";
      file.parentNode.insertAdjacentElement("afterend", message);
    };
    reader.readAsText(chosen);
  });
})();
