// The customer chat page: start a conversation under an email, send messages, read the replies live. A reply
// written by a person (author HUMAN) is shown apart from the bot's.
'use strict';
(function () {
  let conversation = null;
  const log = document.getElementById('log');
  const input = document.getElementById('message');
  const send = document.getElementById('send');

  function notice(message) {
    const box = document.getElementById('notice');
    box.className = 'notice error';
    box.textContent = message;
  }

  function bubble(kind, author, words) {
    const div = document.createElement('div');
    div.className = 'bubble ' + kind;
    if (author) {
      const label = document.createElement('span');
      label.className = 'author';
      label.textContent = author;
      div.appendChild(label);
    }
    div.appendChild(document.createTextNode(words));
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); });
  }

  function listen() {
    const events = new EventSource('/chat/api/conversations/' + encodeURIComponent(conversation) + '/replies');
    events.addEventListener('ready', function () { input.disabled = false; send.disabled = false; input.focus(); });
    events.addEventListener('reply', function (message) {
      const reply = JSON.parse(message.data);
      const human = reply.author === 'HUMAN';
      const div = bubble(human ? 'human' : 'bot', human ? 'Support agent ' + (reply.agentId || '') + ' (a person)'
        : 'Assistant (automated)' + (reply.degraded ? ' · limited answer' : ''), reply.text);
      div.dataset.author = reply.author;
    });
  }

  document.getElementById('start').addEventListener('click', function () {
    const email = document.getElementById('email').value.trim();
    post('/chat/api/conversations', { email: email || null }).then(function (answer) {
      if (!answer.ok) { notice(answer.body.error || 'could not start'); return; }
      conversation = answer.body.conversationId;
      document.getElementById('chat-box').dataset.conversation = conversation;
      document.getElementById('start-box').classList.add('hidden');
      document.getElementById('chat-box').classList.remove('hidden');
      document.getElementById('who').textContent = email ? 'Signed in as ' + email : 'Anonymous';
      listen();
    });
  });

  function sendMessage() {
    const text = input.value.trim();
    if (!text) return;
    send.disabled = true;
    const mine = bubble('customer', null, text);
    input.value = '';
    post('/chat/api/conversations/' + encodeURIComponent(conversation) + '/messages', { text: text })
      .then(function (answer) {
        send.disabled = false;
        if (!answer.ok) { mine.classList.add('failed'); notice(answer.body.error || 'not sent'); }
      });
  }
  send.addEventListener('click', sendMessage);
  input.addEventListener('keydown', function (e) { if (e.key === 'Enter') sendMessage(); });
})();
