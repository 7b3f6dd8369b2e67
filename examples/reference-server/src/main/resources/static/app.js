// Fatechat web UI: plain JavaScript, no framework. Every user-supplied text goes through textContent.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = 'fatechat.token';
  const EMAIL_KEY = 'fatechat.email';
  const HISTORY = 50;

  const state = {
    token: localStorage.getItem(TOKEN_KEY),
    email: localStorage.getItem(EMAIL_KEY),
    mode: 'login',
    socket: null,
    rooms: [],
    current: null,          // {type: 'room', name} or {type: 'dm', email}
    seen: new Set(),        // message ids shown in the current conversation
    convs: new Map(),       // 'room:<name>' / 'dm:<email>' -> the server's conversation (unreadCount, ...)
    dms: [],                // e-mails of private conversations: the server's, then ones opened here
    readers: new Map(),     // in the current conversation: other user -> id of the last message they read
    markTimer: null,
    typingTimer: null,
    lastTypingSent: 0,
    roomsTimer: null
  };

  // ---------- helpers ----------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    return 'c-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
  }

  function formatTime(iso) {
    const d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    const sameDay = d.toDateString() === new Date().toDateString();
    return sameDay ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
                   : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  function banner(text, isError) {
    const b = $('banner');
    if (!text) { b.hidden = true; b.textContent = ''; return; }
    b.textContent = text;
    b.className = 'banner' + (isError ? ' error' : '');
    b.hidden = false;
  }

  function setStatus(text, kind) {
    const s = $('conn-status');
    s.textContent = text;
    s.className = 'pill' + (kind ? ' ' + kind : '');
  }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (state.token) headers['Authorization'] = 'Bearer ' + state.token;
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new Error('Cannot reach the server. Check your connection and try again.');
    }
    let data = null;
    try { data = await response.json(); } catch (e) { /* empty or not JSON */ }
    if (!response.ok) {
      const message = (data && data.error) || ('Request failed (' + response.status + ')');
      const error = new Error(message);
      error.status = response.status;
      error.code = data && data.code;
      if (response.status === 401 && state.token && path.indexOf('/api/login') !== 0) {
        logout('Your session has expired. Please log in again.');
      }
      throw error;
    }
    return data;
  }

  // ---------- authentication ----------

  function showAuth(message) {
    $('chat-view').hidden = true;
    $('auth-view').hidden = false;
    $('auth-error').textContent = message || '';
    $('auth-email').focus();
  }

  function setMode(mode) {
    state.mode = mode;
    $('tab-login').classList.toggle('active', mode === 'login');
    $('tab-register').classList.toggle('active', mode === 'register');
    $('auth-submit').textContent = mode === 'login' ? 'Log in' : 'Create account';
    $('auth-password').autocomplete = mode === 'login' ? 'current-password' : 'new-password';
    $('auth-error').textContent = '';
  }

  async function submitAuth(event) {
    event.preventDefault();
    const email = $('auth-email').value.trim();
    const password = $('auth-password').value;
    if (!email || !password) { $('auth-error').textContent = 'Enter your e-mail and a password.'; return; }
    $('auth-submit').disabled = true;
    try {
      const path = state.mode === 'login' ? '/api/login' : '/api/register';
      const data = await api('POST', path, { email, password });
      state.token = data.token;
      state.email = email.toLowerCase();
      localStorage.setItem(TOKEN_KEY, state.token);
      localStorage.setItem(EMAIL_KEY, state.email);
      $('auth-password').value = '';
      startChat();
    } catch (e) {
      if (e.status === 409) $('auth-error').textContent = 'This e-mail is already registered. Log in instead.';
      else if (e.status === 401) $('auth-error').textContent = 'Wrong e-mail or password.';
      else $('auth-error').textContent = e.message;
    } finally {
      $('auth-submit').disabled = false;
    }
  }

  function logout(message) {
    if (state.socket) { state.socket.removeAllListeners(); state.socket.disconnect(); state.socket = null; }
    if (state.roomsTimer) { clearInterval(state.roomsTimer); state.roomsTimer = null; }
    state.token = null; state.email = null; state.current = null; state.dms = []; state.convs.clear();
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(EMAIL_KEY);
    banner(null);
    showAuth(message);
  }

  // ---------- chat ----------

  function startChat() {
    $('auth-view').hidden = true;
    $('chat-view').hidden = false;
    $('me').textContent = state.email;
    showConversation(null);
    showOnlinePanel(false);
    renderDms();
    connectSocket();
    loadRooms();
    state.roomsTimer = setInterval(loadRooms, 15000);
  }

  function connectSocket() {
    setStatus('connecting…');
    const socket = io({ auth: { token: state.token }, reconnectionDelayMax: 5000 });
    state.socket = socket;

    socket.on('connect', () => {
      setStatus('online', 'ok');
      banner(null);
      loadConversations();
      // Recovered (connection state recovery): the server put this socket back in its rooms and sent what it
      // missed before anything live; appendMessage drops what is shown already. Otherwise, a fresh session:
      // enter the open room again and catch up from history.
      if (socket.recovered) return;
      if (state.current && state.current.type === 'room') enterRoom(state.current.name, true);
      else if (state.current && state.current.type === 'dm') loadPrivateHistory(state.current.email);
    });
    socket.on('disconnect', (reason) => {
      setStatus('offline', 'bad');
      if (reason !== 'io client disconnect') banner('Connection lost. Reconnecting…', true);
    });
    socket.on('connect_error', (err) => {
      if (err && err.message === 'unauthorized') { logout('Your session has expired. Please log in again.'); return; }
      setStatus('offline', 'bad');
      banner('Cannot reach the chat server. Retrying…', true);
    });
    socket.on('receiveMessage', (m) => {
      if (state.current && state.current.type === 'room' && state.current.name === m.roomName) {
        appendMessage({ id: m.id, sender: m.userMail, text: m.messageText, event: m.isEvent, createdAt: m.createdAt });
        if (!m.isEvent) markReadSoon(m.id);
      }
    });
    // Unread counts come from the server, for every conversation of mine, on every tab and browser.
    socket.on('unreadCount', (p) => {
      const key = p.roomName !== undefined ? 'room:' + p.roomName : 'dm:' + p.with;
      const conv = state.convs.get(key) || { type: p.roomName !== undefined ? 'room' : 'private', roomName: p.roomName, with: p.with };
      conv.unreadCount = p.unreadCount;
      conv.readMessageId = p.readMessageId;
      state.convs.set(key, conv);
      if (p.with !== undefined && state.dms.indexOf(p.with) < 0) state.dms.unshift(p.with);
      if (p.unreadCount > 0 && isCurrent(key) && !document.hidden) markReadSoon(null);
      renderRooms();
      renderDms();
    });
    socket.on('messageRead', (p) => {
      const key = p.roomName !== undefined ? 'room:' + p.roomName : 'dm:' + p.userMail;
      if (!isCurrent(key) || p.userMail === state.email) return;
      const known = state.readers.get(p.userMail);
      if (!known || known < p.messageId) state.readers.set(p.userMail, p.messageId);
      renderSeen();
    });
    socket.on('onlineUsers', (p) => {
      if (state.current && state.current.type === 'room' && state.current.name === p.roomName) renderOnline(p.users);
    });
    socket.on('typing', (p) => {
      if (state.current && state.current.type === 'room' && state.current.name === p.roomName && p.userMail !== state.email) {
        $('typing').textContent = p.userMail + ' is typing…';
        clearTimeout(state.typingTimer);
        state.typingTimer = setTimeout(() => { $('typing').textContent = ''; }, 3000);
      }
    });
    socket.on('privateMessage', (m) => {
      const other = m.from === state.email ? m.to : m.from;
      addDm(other);
      if (state.current && state.current.type === 'dm' && state.current.email === other) {
        appendMessage({ id: m.id, sender: m.from, text: m.messageText, event: false, createdAt: m.createdAt });
        markReadSoon(m.id);
      }
    });
    socket.on('chatError', (e) => { $('send-error').textContent = (e && e.message) || 'The server refused a request.'; });
  }

  function emit(event, payload) {
    return new Promise((resolve, reject) => {
      if (!state.socket || !state.socket.connected) { reject(new Error('Not connected. Waiting for the server…')); return; }
      state.socket.timeout(10000).emit(event, payload, (err, ack) => {
        if (err) reject(new Error('The server did not answer in time.'));
        else if (ack && ack.ok === false) reject(new Error((ack.error && ack.error.message) || 'Refused.'));
        else resolve(ack);
      });
    });
  }

  function keyOf(current) {
    return current.type === 'room' ? 'room:' + current.name : 'dm:' + current.email;
  }

  function isCurrent(key) {
    return state.current !== null && keyOf(state.current) === key;
  }

  function unreadOf(key) {
    const conv = state.convs.get(key);
    return conv ? conv.unreadCount || 0 : 0;
  }

  // The server keeps my conversations: rooms I joined and private conversations, with unread counts.
  async function loadConversations() {
    try {
      const page = await emit('getConversations', { limit: 100 });
      state.convs.clear();
      const dms = [];
      for (const c of page.conversations || []) {
        if (c.type === 'room') state.convs.set('room:' + c.roomName, c);
        else { state.convs.set('dm:' + c.with, c); dms.push(c.with); }
      }
      for (const email of state.dms) if (dms.indexOf(email) < 0) dms.push(email);
      state.dms = dms;
      renderRooms();
      renderDms();
    } catch (e) {
      $('room-error').textContent = e.message;
    }
  }

  // Tells the server I have read the current conversation up to the newest message shown.
  function markReadSoon(id) {
    clearTimeout(state.markTimer);
    state.markTimer = setTimeout(() => markRead(id), 250);
  }

  async function markRead(id) {
    if (!state.current || document.hidden) return;
    const current = state.current;
    const list = $('messages');
    let newest = id;
    for (const li of list.children) if (li.dataset.id && !li.classList.contains('event') && (!newest || li.dataset.id > newest)) newest = li.dataset.id;
    if (!newest) return;
    const payload = current.type === 'room' ? { roomName: current.name, messageId: newest } : { with: current.email, messageId: newest };
    try {
      const ack = await emit('markRead', payload);
      if (ack && ack.conversation) state.convs.set(keyOf(current), ack.conversation);
      renderRooms();
      renderDms();
    } catch (e) {
      // not a member (yet) or nothing to mark: the badge stays as the server says
    }
  }

  // Who has read the open conversation how far, as the server knows it (then kept current by messageRead).
  async function loadReaders(current) {
    const payload = current.type === 'room' ? { roomName: current.name } : { with: current.email };
    try {
      const ack = await emit('getReadMarkers', payload);
      if (!state.current || keyOf(state.current) !== keyOf(current)) return;
      for (const m of ack.markers || []) {
        if (m.userMail === state.email) continue;
        const known = state.readers.get(m.userMail);
        if (!known || known < m.messageId) state.readers.set(m.userMail, m.messageId);
      }
      renderSeen();
    } catch (e) {
      // no conversation yet (a private one before its first message)
    }
  }

  // "Seen by": under each of my messages, who has read up to it (and not past the next one of mine).
  function renderSeen() {
    const list = $('messages');
    list.querySelectorAll('.seen').forEach((n) => n.remove());
    const mine = Array.from(list.children).filter((li) => li.classList.contains('mine') && li.dataset.id);
    const byMessage = new Map();
    for (const [user, marker] of state.readers) {
      let last = null;
      for (const li of mine) if (li.dataset.id <= marker) last = li;
      if (last) byMessage.set(last, (byMessage.get(last) || []).concat(user));
    }
    for (const [li, users] of byMessage) li.append(el('div', 'seen', 'Seen by ' + users.sort().join(', ')));
  }

  async function leaveCurrentRoom() {
    if (!state.current || state.current.type !== 'room') return;
    const name = state.current.name;
    try {
      await emit('leaveRoom', { roomName: name });
      state.convs.delete('room:' + name);
      state.current = null;
      showConversation(null);
      showOnlinePanel(false);
      renderRooms();
    } catch (e) {
      $('send-error').textContent = e.message;
    }
  }

  async function loadRooms() {
    try {
      state.rooms = await api('GET', '/api/chat');
      renderRooms();
    } catch (e) {
      if (state.token) $('room-error').textContent = e.message;
    }
  }

  function renderRooms() {
    const list = $('room-list');
    list.replaceChildren();
    for (const room of state.rooms) {
      const li = el('li');
      li.dataset.room = room.name;
      li.append(el('span', 'name', '# ' + room.name));
      if (state.convs.has('room:' + room.name)) li.classList.add('member');
      const count = unreadOf('room:' + room.name);
      if (count) li.append(el('span', 'badge', count));
      if (state.current && state.current.type === 'room' && state.current.name === room.name) li.classList.add('active');
      li.addEventListener('click', () => enterRoom(room.name));
      list.append(li);
    }
    if (state.rooms.length === 0) list.append(el('li', 'muted', 'No rooms yet.'));
  }

  function renderDms() {
    const list = $('dm-list');
    list.replaceChildren();
    for (const email of state.dms) {
      const li = el('li');
      li.dataset.dm = email;
      li.append(el('span', 'name', '@ ' + email));
      const count = unreadOf('dm:' + email);
      if (count) li.append(el('span', 'badge', count));
      if (state.current && state.current.type === 'dm' && state.current.email === email) li.classList.add('active');
      li.addEventListener('click', () => openDm(email));
      list.append(li);
    }
  }

  function addDm(email) {
    if (state.dms.indexOf(email) < 0) {
      state.dms.unshift(email);
      renderDms();
    }
  }

  async function createRoom(event) {
    event.preventDefault();
    const name = $('room-name').value.trim();
    $('room-error').textContent = '';
    if (!name) { $('room-error').textContent = 'Give the room a name.'; return; }
    try {
      const room = await api('POST', '/api/chat', { name });
      $('room-name').value = '';
      await loadRooms();
      enterRoom(room.name);
    } catch (e) {
      $('room-error').textContent = e.status === 409 ? 'A room with this name exists already.' : e.message;
    }
  }

  function showConversation(title) {
    $('empty-state').hidden = title !== null;
    $('conv').hidden = title === null;
    $('conv-title').textContent = title || '';
    $('messages').replaceChildren();
    $('typing').textContent = '';
    $('send-error').textContent = '';
    $('leave-room').hidden = true;
    state.seen.clear();
    state.readers.clear();
  }

  // Joining makes me a member until I leave with the button: switching rooms keeps my rooms.
  async function enterRoom(name, rejoin) {
    if (!rejoin || !state.current || state.current.name !== name) {
      state.current = { type: 'room', name };
      showConversation('# ' + name);
    }
    $('leave-room').hidden = false;
    renderRooms();
    renderDms();
    showOnlinePanel(true);
    collapseSidebarOnNarrow();
    try {
      await emit('joinRoom', { roomName: name });
      const recent = await emit('getRecentMessages', { roomName: name, count: HISTORY });
      const list = Array.isArray(recent) ? recent : (recent && (recent.messages || recent.data)) || [];
      if (!state.current || state.current.name !== name) return;
      list.slice().reverse().forEach((m) => appendMessage({ id: m.id, sender: m.userMail, text: m.messageText, event: m.isEvent, createdAt: m.createdAt }));
      if (!state.convs.has('room:' + name)) state.convs.set('room:' + name, { type: 'room', roomName: name, unreadCount: 0 });
      markRead(null);
      loadReaders(state.current);
      const online = await emit('getOnlineUsers', { roomName: name });
      if (online && Array.isArray(online.users)) renderOnline(online.users);
    } catch (e) {
      $('send-error').textContent = e.message;
    }
    $('message-input').focus();
  }

  function openDm(email) {
    email = email.trim().toLowerCase();
    if (!email) return;
    addDm(email);
    state.current = { type: 'dm', email };
    showConversation('@ ' + email);
    showOnlinePanel(false);
    renderRooms();
    renderDms();
    collapseSidebarOnNarrow();
    loadPrivateHistory(email);
    $('message-input').focus();
  }

  async function loadPrivateHistory(email) {
    try {
      const list = await api('GET', '/api/dm/' + encodeURIComponent(email) + '/messages?limit=' + HISTORY);
      if (!state.current || state.current.type !== 'dm' || state.current.email !== email) return;
      list.slice().reverse().forEach((m) => appendMessage({ id: m.id, sender: m.sender_mail, text: m.message_text, event: m.is_event, createdAt: m.createdAt }));
      markRead(null);
      loadReaders(state.current);
    } catch (e) {
      $('send-error').textContent = e.message;
    }
  }

  function appendMessage(m) {
    if (m.id && state.seen.has(m.id)) return;
    if (m.id) state.seen.add(m.id);
    const list = $('messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const li = el('li', 'msg' + (m.event ? ' event' : '') + (m.sender === state.email ? ' mine' : ''));
    li.dataset.id = m.id || '';
    if (m.event) {
      li.append(el('span', 'text', m.text));
    } else {
      const meta = el('div', 'meta');
      meta.append(el('span', 'sender', m.sender), el('span', 'time', formatTime(m.createdAt)));
      li.append(meta, el('div', 'text', m.text));
    }
    // keep id (time) order even when history and live messages interleave
    let before = null;
    if (m.id) {
      for (const other of list.children) {
        if (other.dataset.id && other.dataset.id > m.id) { before = other; break; }
      }
    }
    list.insertBefore(li, before);
    if (li.classList.contains('mine')) renderSeen();
    if (atBottom || m.sender === state.email) list.scrollTop = list.scrollHeight;
  }

  function renderOnline(users) {
    const list = $('online-list');
    list.replaceChildren();
    for (const user of users) {
      const li = el('li');
      li.dataset.user = user;
      li.append(el('span', 'dot'), el('span', 'name', user === state.email ? user + ' (you)' : user));
      if (user !== state.email) {
        li.title = 'Send a private message';
        li.addEventListener('click', () => openDm(user));
      }
      list.append(li);
    }
    $('online-count').textContent = '(' + users.length + ')';
  }

  async function send(event) {
    event.preventDefault();
    const input = $('message-input');
    const text = input.value;
    if (!text.trim() || !state.current) return;
    $('send-error').textContent = '';
    const clientId = newClientId();
    input.value = '';
    try {
      if (state.current.type === 'room') {
        await emit('sendMessage', { roomName: state.current.name, message: text, clientId });
      } else {
        await emit('sendPrivateMessage', { to: state.current.email, message: text, clientId });
      }
    } catch (e) {
      input.value = text;
      $('send-error').textContent = e.message;
    }
  }

  function typing() {
    if (!state.current || state.current.type !== 'room' || !state.socket || !state.socket.connected) return;
    const now = Date.now();
    if (now - state.lastTypingSent > 2000) {
      state.lastTypingSent = now;
      state.socket.emit('typing', { roomName: state.current.name });
    }
  }

  function showOnlinePanel(visible) {
    $('online-panel').hidden = !visible;
    $('chat-view').classList.toggle('no-online', !visible);
    if (!visible) $('online-list').replaceChildren();
  }

  function collapseSidebarOnNarrow() {
    if (window.matchMedia('(max-width: 760px)').matches) $('sidebar').classList.add('collapsed');
  }

  // ---------- wiring ----------

  $('tab-login').addEventListener('click', () => setMode('login'));
  $('tab-register').addEventListener('click', () => setMode('register'));
  $('auth-form').addEventListener('submit', submitAuth);
  $('logout').addEventListener('click', () => logout());
  $('room-form').addEventListener('submit', createRoom);
  $('refresh-rooms').addEventListener('click', loadRooms);
  $('dm-form').addEventListener('submit', (e) => { e.preventDefault(); const v = $('dm-email').value; $('dm-email').value = ''; openDm(v); });
  $('composer').addEventListener('submit', send);
  $('message-input').addEventListener('input', typing);
  $('toggle-sidebar').addEventListener('click', () => $('sidebar').classList.toggle('collapsed'));
  $('leave-room').addEventListener('click', leaveCurrentRoom);
  document.addEventListener('visibilitychange', () => { if (!document.hidden && state.current) markReadSoon(null); });

  if (typeof window.io !== 'function') {
    banner('The server did not serve the Socket.IO client (/socket.io/socket.io.min.js).', true);
  }
  if (state.token && state.email) startChat(); else showAuth();
})();
