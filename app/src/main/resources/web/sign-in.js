// Says why the last sign-in was refused (the server redirects here with ?failed=...).
'use strict';
(function () {
  const failed = new URLSearchParams(location.search).get('failed');
  const messages = {
    token: 'That is not the admin token.',
    agent: 'The agent id must be 1 to 64 letters, digits or . _ @ + -, and the name 1 to 80 characters.'
  };
  if (failed && messages[failed]) {
    const box = document.getElementById('error');
    box.textContent = messages[failed];
    box.classList.remove('hidden');
  }
})();
