// The desk's list of handed-off conversations, oldest first, refreshed whenever support.handoffs says something.
'use strict';
(function () {
  const body = document.querySelector('#handoffs tbody');

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function badge(td, text) {
    const span = document.createElement('span');
    span.className = 'badge ' + text;
    span.textContent = text;
    td.appendChild(span);
  }

  function since(iso) {
    if (!iso) return '';
    const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    return new Date(iso).toLocaleTimeString() + ' (' + minutes + ' min)';
  }

  function render(view) {
    body.textContent = '';
    document.getElementById('empty').classList.toggle('hidden', view.cases.length > 0);
    const notice = document.getElementById('notice');
    notice.classList.toggle('hidden', view.leftOut === 0);
    notice.textContent = view.leftOut + ' handoffs are not shown: the desk holds its limit (HELPSTREAM_DESK_MAX_HANDOFFS).';
    for (const c of view.cases) {
      const row = document.createElement('tr');
      row.dataset.conversation = c.conversationId;
      row.className = c.mode === 'HUMAN' ? 'human' : 'waiting';
      const first = cell(row, '');
      const link = document.createElement('a');
      link.href = '/desk/conversations/' + encodeURIComponent(c.conversationId);
      link.textContent = since(c.requestedAt);
      first.appendChild(link);
      const small = document.createElement('div');
      small.className = 'muted';
      small.textContent = c.conversationId;
      first.appendChild(small);
      const state = cell(row, '');
      badge(state, c.mode);
      if (c.agentId) state.appendChild(document.createTextNode(' ' + c.agentId));
      cell(row, [c.trigger, c.reason].filter(Boolean).join(': '), 'reason');
      cell(row, c.summary, 'summary');
      const who = cell(row, (c.customerEmail || 'anonymous') + ' ');
      badge(who, c.trust);
      cell(row, c.openTickets.join(', '), 'tickets');
      cell(row, c.priority);
      body.appendChild(row);
    }
  }

  let pending = null;
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch('/desk/api/handoffs').then(function (r) {
        if (r.status === 401) { location.href = '/desk/sign-in'; return null; }
        return r.ok ? r.json() : null;
      }).then(function (view) { if (view) render(view); });
    }, 100);
  }

  fetch('/desk/api/me').then(function (r) { return r.ok ? r.json() : null; }).then(function (me) {
    if (me) document.getElementById('me').textContent = me.name + ' (' + me.id + ')';
  });
  const events = new EventSource('/desk/api/events');
  events.addEventListener('ready', refresh);
  events.addEventListener('handoff', refresh);
  refresh();
})();
