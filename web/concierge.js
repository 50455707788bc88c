// The demo page's glue around rasa-webchat: start the widget on this server's socket.io
// channel, say so when the server can't be reached, offer a person, and fill in what the widget
// leaves out for keyboard and screen-reader users.
(function () {
  "use strict";

  var offline = document.getElementById("chat-offline");
  function setOnline(online) { offline.hidden = online; }

  var widget = null;  // the widget's handle: sendMessage(payload, shownText)
  window.WebChat.default({
    innerRef: function (handle) { widget = handle; },
    initPayload: "/greet",
    socketUrl: window.location.origin,
    socketPath: "/socket.io/",
    title: "Lakeshore Lexus",
    subtitle: "Service concierge",
    inputTextFieldHint: "Type a message",
    hideWhenNotConnected: false,
    showMessageDate: true,
    // The same short pause before each reply, with the typing dots: the default pause grows
    // with a message's length, so a short question could overtake the longer text before it.
    customMessageDelay: function () { return 400; },
    // The conversation stays in this tab across reloads, and ends with it.
    params: { storage: "session" },
    onSocketEvent: {
      connect: function () { setOnline(true); },
      connect_error: function () { setOnline(false); },
      disconnect: function () { setOnline(false); },
    },
  }, document.getElementById("webchat"));

  function openChat() {
    var launcher = document.querySelector(".rw-launcher");
    if (!document.querySelector(".rw-conversation-container") && launcher) launcher.click();
  }
  document.getElementById("open-chat").addEventListener("click", function () {
    openChat();
    var input = document.querySelector(".rw-new-message");
    if (input) input.focus();
  });
  function askForPerson() {
    openChat();
    if (widget) widget.sendMessage("/request_human", "Talk to a person");
  }
  document.getElementById("ask-person").addEventListener("click", askForPerson);

  // The same in the chat's own header: on a phone the open chat covers the page.
  function addPersonButton() {
    var buttons = document.querySelector(".rw-header-buttons");
    if (!buttons || buttons.querySelector(".person")) return;
    var person = document.createElement("button");
    person.type = "button";
    person.className = "person";
    person.textContent = "Talk to a person";
    person.addEventListener("click", askForPerson);
    buttons.insertBefore(person, buttons.firstChild);
  }

  // Names and roles the widget's markup lacks, kept up to date as it renders.
  function label(selector, name) {
    document.querySelectorAll(selector).forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", name);
    });
  }
  function describe() {
    addPersonButton();
    label(".rw-launcher", "Open or close the chat");
    label(".rw-new-message", "Message to the concierge");
    label(".rw-send", "Send");
    label(".rw-close-button", "Close the chat");
    // Choice buttons are plain divs: make them reachable by Tab and announced as buttons.
    document.querySelectorAll(".rw-reply:not([tabindex])").forEach(function (reply) {
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
    });
    document.querySelectorAll(".rw-messages-container").forEach(function (log) {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", "Conversation");
    });
  }
  new MutationObserver(describe).observe(document.body, { childList: true, subtree: true });
  describe();

  // The widget's choice buttons only answer clicks: Enter and Space too.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target.classList &&
        target.classList.contains("rw-reply")) {
      event.preventDefault();
      target.click();
    }
  });
})();
