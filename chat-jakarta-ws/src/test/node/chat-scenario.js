'use strict';
// The chat interop scenario with the stock npm socket.io-client v4, run by ChatNodeClientInteropIT.
//
// Usage: node chat-scenario.js '<config json>'
//   config: {url, mode: "default"|"websocket", room,
//            users: {alice: {email, token}, bob: {email, token}, carol: {email, token}}}
// Prints one JSON line {ok, mode, steps, transports, error?} on stdout; exits 0 on success, 1 when a check
// fails, 2 on bad usage, 3 when the whole scenario outlives its budget. Every wait is bounded.

const { io } = require('socket.io-client');

const STEP_TIMEOUT_MS = 10_000;
const SCENARIO_TIMEOUT_MS = 60_000;
const ISO_MILLIS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SERVER_EVENTS = ['receiveMessage', 'recentMessages', 'onlineUsers', 'privateMessage', 'typing', 'chatError'];

let config;
try {
  config = JSON.parse(process.argv[2]);
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, error: 'usage: node chat-scenario.js <config json>: ' + e.message }) + '\n');
  process.exit(2);
}

const results = { ok: false, mode: config.mode, steps: [], transports: {} };
const sockets = [];
let finished = false;

function finish(code, error) {
  if (finished) {
    return;
  }
  finished = true;
  results.ok = code === 0;
  if (error) {
    results.error = String(error && error.stack ? error.stack : error);
  }
  for (const s of sockets) {
    try { s.disconnect(); } catch (ignored) { /* closing anyway */ }
  }
  process.stdout.write(JSON.stringify(results) + '\n', () => process.exit(code));
}

const watchdog = setTimeout(() => finish(3, 'scenario did not finish within ' + SCENARIO_TIMEOUT_MS + ' ms'),
  SCENARIO_TIMEOUT_MS);

function check(condition, message) {
  if (!condition) {
    throw new Error('check failed: ' + message);
  }
}

function step(name, detail) {
  results.steps.push(detail === undefined ? name : { step: name, ...detail });
}

function baseOptions() {
  const options = { forceNew: true, reconnection: false, timeout: STEP_TIMEOUT_MS };
  if (config.mode === 'websocket') {
    options.transports = ['websocket'];
  }
  return options;
}

/** A connected client that records every server event, so a wait sees events that arrived before it. */
class ChatClient {
  constructor(name, socket) {
    this.name = name;
    this.socket = socket;
    this.events = {};
    this.waiters = [];
    for (const event of SERVER_EVENTS) {
      this.events[event] = [];
      socket.on(event, (payload) => {
        this.events[event].push(payload);
        this.waiters = this.waiters.filter((w) => !w.offer(event, payload));
      });
    }
  }

  /** The first payload of `event` (past or future) that `predicate` accepts, within STEP_TIMEOUT_MS. */
  waitFor(event, predicate, what) {
    const seen = this.events[event].find(predicate);
    if (seen !== undefined) {
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(this.name + ': no ' + event + ' ' + what + ' within ' + STEP_TIMEOUT_MS + ' ms; got '
          + JSON.stringify(this.events[event])));
      }, STEP_TIMEOUT_MS);
      const waiter = {
        offer: (e, payload) => {
          if (e !== event || !predicate(payload)) {
            return false;
          }
          clearTimeout(timer);
          resolve(payload);
          return true;
        },
      };
      this.waiters.push(waiter);
    });
  }

  async request(event, payload) {
    const ack = await this.socket.timeout(STEP_TIMEOUT_MS).emitWithAck(event, payload);
    check(ack && typeof ack === 'object', this.name + ' ' + event + ' ack is an object: ' + JSON.stringify(ack));
    return ack;
  }

  async requestOk(event, payload) {
    const ack = await this.request(event, payload);
    check(ack.ok === true, this.name + ' ' + event + ' acked ok: ' + JSON.stringify(ack));
    return ack;
  }
}

/** Connects and resolves once the server accepted the namespace; rejects with the connect_error otherwise. */
function connect(name, extraOptions) {
  const socket = io(config.url, { ...baseOptions(), ...extraOptions });
  sockets.push(socket);
  socket.io.on('open', () => {
    results.transports[name] = { opened: socket.io.engine.transport.name };
    socket.io.engine.on('upgrade', (transport) => {
      results.transports[name].upgradedTo = transport.name;
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(name + ': not connected within ' + STEP_TIMEOUT_MS + ' ms')),
      STEP_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Expects the server to refuse the namespace with {"message":"unauthorized"}. */
async function expectRefused(name, extraOptions) {
  try {
    await connect(name, extraOptions);
  } catch (err) {
    check(err.message === 'unauthorized', name + ' refused as unauthorized, was: ' + err.message);
    check(err.data === undefined || err.data === null, name + ' refusal carries no data: ' + JSON.stringify(err.data));
    step('refused', { client: name, message: err.message });
    return;
  }
  throw new Error(name + ' was connected although it had no valid token');
}

async function awaitUpgrade(name, socket) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (socket.io.engine.transport.name !== 'websocket') {
    check(Date.now() < deadline, name + ' upgraded to websocket within ' + STEP_TIMEOUT_MS + ' ms');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function checkRoomMessage(payload, expected) {
  check(typeof payload.id === 'string' && payload.id.length > 0, 'receiveMessage id is a string: ' + JSON.stringify(payload));
  check(payload.roomName === expected.roomName, 'receiveMessage roomName: ' + JSON.stringify(payload));
  check(payload.messageText === expected.messageText, 'receiveMessage messageText: ' + JSON.stringify(payload));
  check(payload.userMail === expected.userMail, 'receiveMessage userMail: ' + JSON.stringify(payload));
  check(payload.isEvent === false, 'receiveMessage isEvent false: ' + JSON.stringify(payload));
  check(ISO_MILLIS_UTC.test(payload.createdAt), 'receiveMessage createdAt ISO-8601 UTC: ' + JSON.stringify(payload));
}

function checkPrivateMessage(payload, expected) {
  check(payload.id === expected.id, 'privateMessage id: ' + JSON.stringify(payload));
  check(payload.from === expected.from, 'privateMessage from: ' + JSON.stringify(payload));
  check(payload.to === expected.to, 'privateMessage to: ' + JSON.stringify(payload));
  check(payload.messageText === expected.messageText, 'privateMessage messageText: ' + JSON.stringify(payload));
  check(payload.createdAt === expected.createdAt, 'privateMessage createdAt: ' + JSON.stringify(payload));
}

function checkSendAck(ack, who) {
  check(typeof ack.id === 'string' && ack.id.length > 0, who + ' ack id is a string: ' + JSON.stringify(ack));
  check(ISO_MILLIS_UTC.test(ack.createdAt), who + ' ack createdAt ISO-8601 UTC: ' + JSON.stringify(ack));
}

const sameUsers = (users, expected) => Array.isArray(users)
  && users.length === expected.length && expected.every((u) => users.includes(u));

async function scenario() {
  const { alice, bob, carol } = config.users;
  const room = config.room;

  // Refusals first: a token-less client and a forged token get CONNECT_ERROR and nothing else.
  await expectRefused('anonymous', {});
  await expectRefused('forged', { auth: { token: 'not-a-token' } });

  // The three handshake auth paths: CONNECT auth payload, Authorization header (prefix in any case), query.
  const a = new ChatClient('alice', await connect('alice', { auth: { token: alice.token } }));
  const b = new ChatClient('bob', await connect('bob', { extraHeaders: { Authorization: 'BEARER ' + bob.token } }));
  const c = new ChatClient('carol', await connect('carol', { query: { token: carol.token } }));
  step('connected', { clients: ['alice', 'bob', 'carol'] });

  if (config.mode === 'default') {
    await Promise.all([awaitUpgrade('alice', a.socket), awaitUpgrade('bob', b.socket), awaitUpgrade('carol', c.socket)]);
    step('upgraded');
  }

  const joinA = await a.requestOk('joinRoom', { roomName: room });
  check(joinA.roomName === room, 'joinRoom ack names the room: ' + JSON.stringify(joinA));
  await b.requestOk('joinRoom', { roomName: room });
  step('joined', { room });

  // Each sees the other in onlineUsers, pushed by the server and on request.
  const both = [alice.email, bob.email];
  await a.waitFor('onlineUsers', (p) => p.roomName === room && sameUsers(p.users, both), 'with alice and bob');
  await b.waitFor('onlineUsers', (p) => p.roomName === room && sameUsers(p.users, both), 'with alice and bob');
  const online = await b.requestOk('getOnlineUsers', { roomName: room });
  check(sameUsers(online.users, both), 'getOnlineUsers ack lists alice and bob: ' + JSON.stringify(online));
  step('onlineUsers', { users: online.users });

  await c.requestOk('joinRoom', { roomName: room });

  // Room chat both ways.
  const hello = await a.requestOk('sendMessage', { roomName: room, message: 'hello bob', clientId: 'alice-1' });
  checkSendAck(hello, 'alice sendMessage');
  const helloAtBob = await b.waitFor('receiveMessage', (p) => p.id === hello.id, 'of alice\'s hello');
  checkRoomMessage(helloAtBob, { roomName: room, messageText: 'hello bob', userMail: alice.email });
  check(helloAtBob.createdAt === hello.createdAt, 'receiveMessage createdAt equals the ack\'s');
  const reply = await b.requestOk('sendMessage', { roomName: room, message: 'hi alice' });
  checkSendAck(reply, 'bob sendMessage');
  const replyAtAlice = await a.waitFor('receiveMessage', (p) => p.id === reply.id, 'of bob\'s reply');
  checkRoomMessage(replyAtAlice, { roomName: room, messageText: 'hi alice', userMail: bob.email });
  step('roomChat', { ids: [hello.id, reply.id] });

  // A re-send with the same clientId is acked with the original id.
  const resend = await a.requestOk('sendMessage', { roomName: room, message: 'hello bob', clientId: 'alice-1' });
  check(resend.id === hello.id, 're-send keeps the original id: ' + JSON.stringify(resend));

  // Typing reaches the others, never the typist.
  a.socket.emit('typing', { roomName: room });
  await b.waitFor('typing', (p) => p.roomName === room && p.userMail === alice.email, 'from alice');
  step('typing');

  // Private messages both ways; every socket of sender and recipient gets them.
  const psst = await a.requestOk('sendPrivateMessage', { to: bob.email, message: 'psst bob' });
  checkSendAck(psst, 'alice sendPrivateMessage');
  const psstExpected = { id: psst.id, from: alice.email, to: bob.email, messageText: 'psst bob', createdAt: psst.createdAt };
  checkPrivateMessage(await b.waitFor('privateMessage', (p) => p.id === psst.id, 'of alice\'s psst'), psstExpected);
  checkPrivateMessage(await a.waitFor('privateMessage', (p) => p.id === psst.id, 'echo of alice\'s psst'), psstExpected);
  const back = await b.requestOk('sendPrivateMessage', { to: alice.email, message: 'psst alice', clientId: 'bob-p1' });
  checkSendAck(back, 'bob sendPrivateMessage');
  const backExpected = { id: back.id, from: bob.email, to: alice.email, messageText: 'psst alice', createdAt: back.createdAt };
  checkPrivateMessage(await a.waitFor('privateMessage', (p) => p.id === back.id, 'of bob\'s psst'), backExpected);
  checkPrivateMessage(await b.waitFor('privateMessage', (p) => p.id === back.id, 'echo of bob\'s psst'), backExpected);
  step('privateChat', { ids: [psst.id, back.id] });

  // Recent messages: emitted as recentMessages and acked with the same list, newest first. History is
  // written after delivery, so ask again (bounded) until both chat messages are in it.
  const chatIdsOf = (messages) => messages.filter((m) => !m.isEvent).map((m) => m.id);
  const historyDeadline = Date.now() + STEP_TIMEOUT_MS;
  let recent;
  for (;;) {
    recent = await b.requestOk('getRecentMessages', { roomName: room, count: 10 });
    check(Array.isArray(recent.messages), 'getRecentMessages ack has messages: ' + JSON.stringify(recent));
    if (chatIdsOf(recent.messages).length >= 2 || Date.now() > historyDeadline) {
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const asJson = JSON.stringify(recent.messages);
  await b.waitFor('recentMessages', (p) => JSON.stringify(p) === asJson, 'equal to the ack list');
  const chatIds = chatIdsOf(recent.messages);
  check(chatIds[0] === reply.id && chatIds[1] === hello.id && chatIds.length === 2,
    'recent chat messages are [reply, hello] newest first: ' + JSON.stringify(chatIds));
  const ids = recent.messages.map((m) => m.id);
  check(ids.every((id, i) => i === 0 || ids[i - 1] > id), 'recent ids descend: ' + JSON.stringify(ids));
  check(recent.messages.every((m) => m.roomName === room && ISO_MILLIS_UTC.test(m.createdAt)),
    'recent messages carry roomName and createdAt');
  step('recentMessages', { count: recent.messages.length });

  // Fence: once carol has alice's last room message, any private message would have reached her too.
  const fence = await a.requestOk('sendMessage', { roomName: room, message: 'fence' });
  await c.waitFor('receiveMessage', (p) => p.id === fence.id, 'of the fence message');
  check(c.events.privateMessage.length === 0, 'carol received no private message: ' + JSON.stringify(c.events.privateMessage));
  check(a.events.typing.length === 0, 'alice got no typing of her own: ' + JSON.stringify(a.events.typing));
  check(a.events.chatError.length === 0 && b.events.chatError.length === 0 && c.events.chatError.length === 0,
    'no chatError in the happy path');
  step('thirdUserIsolated');

  // Bad input gets an error ack, and without an ack a chatError event.
  const tooLong = await a.request('sendMessage', { roomName: room, message: 'x'.repeat(config.maxMessageLength + 1) });
  check(tooLong.ok === false && tooLong.error && tooLong.error.code === 'message_too_long',
    'over-long message refused: ' + JSON.stringify(tooLong));
  a.socket.emit('sendMessage', { roomName: room });
  const chatError = await a.waitFor('chatError', (p) => p.code === 'invalid_input', 'invalid_input');
  check(typeof chatError.message === 'string' && chatError.message.length > 0, 'chatError has a message');
  step('badInput');

  // Bob leaves by disconnecting: alice sees him go.
  b.socket.disconnect();
  await a.waitFor('onlineUsers', (p) => p.roomName === room && sameUsers(p.users, [alice.email, carol.email]),
    'without bob');
  step('disconnected');
}

scenario().then(
  () => {
    clearTimeout(watchdog);
    finish(0);
  },
  (err) => {
    clearTimeout(watchdog);
    finish(1, err);
  });
