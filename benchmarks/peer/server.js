'use strict';
// The Node.js peer of the benchmarks: the chat events of docs/protocol.md on the stock socket.io v4 server, everything in
// memory, one process. It accepts any token (the token, if it looks like an e-mail, is the user).
// Serves the same /bench/* API as ours: tokens, rooms (no-op: rooms exist on first join), memory, stop.
//
//   node --expose-gc server.js --port 3202 [--host 127.0.0.1] [--ping-interval 10]
const http = require('http');
const { Server } = require('socket.io');

const args = process.argv.slice(2);
function opt(name, fallback) {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const host = opt('host', '127.0.0.1');
const port = Number(opt('port', '3202'));
const pingInterval = Number(opt('ping-interval', '10')) * 1000;
const HISTORY_PER_ROOM = 100;
const CLIENT_ID_WINDOW = 65536;
const MAX_MESSAGE_LENGTH = 5000;

const presence = new Map(); // room -> Map(user -> connection count)
const history = new Map();  // room -> [messages], oldest first, bounded
const clientIds = new Map(); // user + '\0' + clientId -> receipt, bounded (insertion order)
let sequence = 0;

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const httpServer = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const q = (name, fallback) => url.searchParams.get(name) || fallback;
  switch (url.pathname) {
    case '/bench/tokens': {
      const prefix = q('prefix', 'u');
      const from = Number(q('from', '0'));
      const count = Math.min(Number(q('count', '1')), 100000);
      const out = [];
      for (let i = 0; i < count; i++) out.push(`${prefix}${from + i}@bench.local`);
      return json(res, 200, out);
    }
    case '/bench/rooms':
      return json(res, 200, { ok: true, rooms: Number(q('count', '1')) });
    case '/bench/memory': {
      if (global.gc) { global.gc(); global.gc(); }
      const m = process.memoryUsage();
      return json(res, 200, { heapUsed: m.heapUsed, rss: m.rss, external: m.external,
        connections: io.engine.clientsCount, pid: process.pid, runtime: 'node ' + process.version });
    }
    case '/bench/stop':
      json(res, 200, { ok: true });
      setTimeout(() => process.exit(0), 50);
      return;
    default:
      res.writeHead(404);
      res.end();
  }
});

const io = new Server(httpServer, {
  pingInterval,
  pingTimeout: 20000,
  cors: { origin: '*' },
});

io.use((socket, next) => {
  const h = socket.handshake;
  let token = (h.auth && h.auth.token) || h.headers.authorization || h.query.token;
  if (!token) return next(new Error('unauthorized'));
  token = String(token).replace(/^bearer /i, '').trim();
  socket.data.user = token.toLowerCase();
  next();
});

function fail(ack, socket, code, message) {
  const error = { code, message };
  if (typeof ack === 'function') ack({ ok: false, error });
  else socket.emit('chatError', error);
}

function ok(ack, body) {
  if (typeof ack === 'function') ack(Object.assign({ ok: true }, body));
}

function roomName(payload) {
  return payload && typeof payload.roomName === 'string' ? payload.roomName.trim() : '';
}

function onlineUsers(room) {
  const users = presence.get(room);
  return { roomName: room, users: users ? [...users.keys()].sort() : [] };
}

function newMessage(room, user, text, isEvent) {
  const message = { id: String(++sequence), roomName: room, messageText: text, userMail: user, isEvent,
    createdAt: new Date().toISOString() };
  let list = history.get(room);
  if (!list) history.set(room, (list = []));
  list.push(message);
  if (list.length > HISTORY_PER_ROOM) list.shift();
  return message;
}

function join(socket, room) {
  if (socket.rooms.has('room:' + room)) return;
  socket.join('room:' + room);
  let users = presence.get(room);
  if (!users) presence.set(room, (users = new Map()));
  const count = users.get(socket.data.user) || 0;
  users.set(socket.data.user, count + 1);
  if (count === 0) {
    io.to('room:' + room).emit('receiveMessage', newMessage(room, socket.data.user, `${socket.data.user} joined the room`, true));
  }
  io.to('room:' + room).emit('onlineUsers', onlineUsers(room));
}

function leave(socket, room, stillInSocketRooms) {
  if (stillInSocketRooms) socket.leave('room:' + room);
  const users = presence.get(room);
  if (!users) return;
  const count = (users.get(socket.data.user) || 1) - 1;
  if (count > 0) {
    users.set(socket.data.user, count);
  } else {
    users.delete(socket.data.user);
    if (users.size === 0) presence.delete(room);
    io.to('room:' + room).emit('receiveMessage', newMessage(room, socket.data.user, `${socket.data.user} left the room`, true));
  }
  io.to('room:' + room).emit('onlineUsers', onlineUsers(room));
}

function receipt(user, clientId, make) {
  if (clientId === undefined || clientId === null || clientId === '') return make();
  const key = user + '\0' + clientId;
  const seen = clientIds.get(key);
  if (seen) return seen;
  const made = make();
  clientIds.set(key, made);
  if (clientIds.size > CLIENT_ID_WINDOW) clientIds.delete(clientIds.keys().next().value);
  return made;
}

function validText(text) {
  return typeof text === 'string' && text.trim().length > 0 && text.length <= MAX_MESSAGE_LENGTH;
}

io.on('connection', (socket) => {
  socket.join('user:' + socket.data.user);

  socket.on('joinRoom', (payload, ack) => {
    const room = roomName(payload);
    if (!room) return fail(ack, socket, 'INVALID_INPUT', 'roomName is required');
    join(socket, room);
    ok(ack, { roomName: room });
  });

  socket.on('leaveRoom', (payload, ack) => {
    const room = roomName(payload);
    if (!socket.rooms.has('room:' + room)) return fail(ack, socket, 'NOT_IN_ROOM', 'not in room ' + room);
    leave(socket, room, true);
    ok(ack, { roomName: room });
  });

  socket.on('sendMessage', (payload, ack) => {
    const room = roomName(payload);
    if (!socket.rooms.has('room:' + room)) return fail(ack, socket, 'NOT_IN_ROOM', 'not in room ' + room);
    if (!validText(payload.message)) return fail(ack, socket, 'INVALID_INPUT', 'message must be 1 to 5000 characters');
    const r = receipt(socket.data.user, payload.clientId, () => {
      const message = newMessage(room, socket.data.user, payload.message, false);
      io.to('room:' + room).emit('receiveMessage', message);
      return { id: message.id, createdAt: message.createdAt };
    });
    ok(ack, r);
  });

  socket.on('getRecentMessages', (payload, ack) => {
    const room = roomName(payload);
    if (!socket.rooms.has('room:' + room)) return fail(ack, socket, 'NOT_IN_ROOM', 'not in room ' + room);
    const count = Math.max(1, Math.min(Number(payload.count) || 50, HISTORY_PER_ROOM));
    const list = (history.get(room) || []).slice(-count).reverse();
    socket.emit('recentMessages', list);
    ok(ack, { messages: list });
  });

  socket.on('getOnlineUsers', (payload, ack) => {
    const room = roomName(payload);
    if (!socket.rooms.has('room:' + room)) return fail(ack, socket, 'NOT_IN_ROOM', 'not in room ' + room);
    socket.emit('onlineUsers', onlineUsers(room));
    ok(ack, onlineUsers(room));
  });

  socket.on('sendPrivateMessage', (payload, ack) => {
    const to = payload && typeof payload.to === 'string' ? payload.to.trim().toLowerCase() : '';
    if (!to) return fail(ack, socket, 'INVALID_INPUT', 'to is required');
    if (!validText(payload.message)) return fail(ack, socket, 'INVALID_INPUT', 'message must be 1 to 5000 characters');
    const r = receipt(socket.data.user, payload.clientId, () => {
      const message = { id: String(++sequence), from: socket.data.user, to, messageText: payload.message,
        createdAt: new Date().toISOString() };
      io.to('user:' + to).to('user:' + socket.data.user).emit('privateMessage', message);
      return { id: message.id, createdAt: message.createdAt };
    });
    ok(ack, r);
  });

  socket.on('typing', (payload, ack) => {
    const room = roomName(payload);
    if (!socket.rooms.has('room:' + room)) return fail(ack, socket, 'NOT_IN_ROOM', 'not in room ' + room);
    socket.to('room:' + room).emit('typing', { roomName: room, userMail: socket.data.user });
    ok(ack, {});
  });

  socket.on('disconnecting', () => {
    for (const r of socket.rooms) {
      if (r.startsWith('room:')) leave(socket, r.substring(5), false);
    }
  });
});

httpServer.listen(port, host, () => {
  console.log(`Peer (node ${process.version}, socket.io) listening on http://${host}:${port} pid=${process.pid}`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
