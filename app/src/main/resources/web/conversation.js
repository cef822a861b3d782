// One handed-off conversation: its history before the handoff (the conversation stores), the handoff's timeline
// (support.handoffs, live), and the agent's actions, each posted once and answered on the timeline.
'use strict';
(function () {
  const id = decodeURIComponent(location.pathname.split('/').pop());
  const enc = encodeURIComponent(id);
  const seen = new Set();
  const mine = new Set();
  let me = null;

  function text(elementId, value) { document.getElementById(elementId).textContent = value == null ? '' : value; }

  function notice(message, kind) {
    const box = document.getElementById('notice');
    box.className = 'notice ' + kind;
    box.textContent = message;
  }

  function showCase(c) {
    text('state', c.mode + (c.agentId ? ' · ' + c.agentId : ''));
    text('why', [c.trigger, c.reason].filter(Boolean).join(': '));
    text('summary', c.summary);
    text('customer', (c.customerEmail || 'anonymous') + ' · ' + c.trust + (c.customerId ? ' · ' + c.customerId : ''));
    text('tickets', c.openTickets.join(', ') || 'none');
    text('priority', c.priority);
    const held = c.mode === 'HUMAN';
    document.getElementById('accept').disabled = held && me && c.agentId === me.id;
    for (const entry of c.timeline) addEntry(entry);
  }

  function loadCase() {
    return fetch('/desk/api/handoffs/' + enc).then(function (r) {
      if (r.status === 401) { location.href = '/desk/sign-in'; return null; }
      if (r.status === 404) { text('state', 'not handed off (back with the bot, or ended)'); return null; }
      return r.ok ? r.json() : null;
    }).then(function (c) { if (c) showCase(c); });
  }

  function loadHistory() {
    fetch('/desk/api/conversations/' + enc).then(function (r) {
      return r.ok ? r.json() : { error: r.status === 404 ? 'no history stored' : 'history unavailable (' + r.status + ')' };
    }).then(function (state) {
      const box = document.getElementById('history');
      box.textContent = '';
      if (state.error) { box.textContent = state.error; box.className = 'muted'; return; }
      for (const turn of state.history) {
        box.appendChild(turnLine('Customer', turn.userText));
        box.appendChild(turnLine('Bot', turn.replyText));
      }
      for (const p of state.pending) box.appendChild(turnLine('Customer (waiting)', p.text));
      if (!box.firstChild) box.textContent = 'No earlier turns.';
    });
  }

  function turnLine(who, words) {
    const div = document.createElement('div');
    div.className = 'turn';
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = who + ':';
    div.appendChild(label);
    div.appendChild(document.createTextNode(words || ''));
    return div;
  }

  function addEntry(e) {
    if (seen.has(e.eventId)) return;
    seen.add(e.eventId);
    const li = document.createElement('li');
    li.className = e.type;
    li.dataset.type = e.type;
    const type = document.createElement('span');
    type.className = 'type';
    type.textContent = e.type.replace('_', ' ');
    li.appendChild(type);
    const when = new Date(e.at).toLocaleTimeString();
    // Events of a handoff repeat who holds it; only the agent's own events name the agent.
    const byAgent = ['ACCEPTED', 'HUMAN_REPLY', 'NOTE', 'RELEASED', 'ENDED', 'ACTION_REJECTED'].indexOf(e.type) >= 0;
    const who = byAgent && e.agentId ? ' ' + e.agentId : '';
    li.appendChild(document.createTextNode(when + who + (e.text ? '\n' + e.text : '') + (e.reason ? '\n' + e.reason : '')));
    document.getElementById('timeline').appendChild(li);
  }

  function act(type, textArea) {
    const body = { type: type };
    if (textArea) {
      body.text = document.getElementById(textArea).value;
      if (!body.text.trim()) { notice('Write something first.', 'error'); return; }
    }
    fetch('/desk/api/conversations/' + enc + '/actions', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (answer) {
        if (!answer.ok) { notice(answer.body.error || 'not sent', 'error'); return; }
        mine.add(answer.body.actionId);
        if (textArea) document.getElementById(textArea).value = '';
        notice(type + ' sent.', 'info');
      });
  }

  document.getElementById('accept').addEventListener('click', function () { act('ACCEPT'); });
  document.getElementById('release').addEventListener('click', function () { act('RELEASE'); });
  document.getElementById('end').addEventListener('click', function () { act('END'); });
  document.getElementById('send-reply').addEventListener('click', function () { act('REPLY', 'reply-text'); });
  document.getElementById('add-note').addEventListener('click', function () { act('NOTE', 'note-text'); });

  text('title', id);
  fetch('/desk/api/me').then(function (r) { return r.ok ? r.json() : null; }).then(function (who) {
    me = who;
    if (who) text('me', who.name + ' (' + who.id + ')');
  });
  const events = new EventSource('/desk/api/events?conversation=' + enc);
  events.addEventListener('ready', loadCase);
  events.addEventListener('handoff', function (message) {
    const e = JSON.parse(message.data);
    addEntry(e);
    if (e.type === 'ACTION_REJECTED') {
      notice('Not done: ' + (e.reason || 'rejected') + (mine.has(e.actionId) ? '' : ' (an action of ' + e.agentId + ')'), 'error');
    }
    if (['ACCEPTED', 'RELEASED', 'ENDED', 'TIMED_OUT'].indexOf(e.type) >= 0) loadCase();
  });
  loadHistory();
})();
