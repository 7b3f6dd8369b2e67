'use strict';
// Connection state recovery with the stock npm socket.io-client v4, run by ChatRecoveryNodeClientIT.
//
// Usage: node recovery-scenario.js '<config json>'
//   config: {url, reconnectUrl?, mode: "websocket"|"polling", expect: "recovered"|"fresh", waitAwayMs?, room,
//            users: {alice: {email, token}, bob: {email, token}}}
// Alice's transport is closed under her (as a network drop does); while she is away Bob sends three room
// messages and a private message to her; then she reconnects with the same Socket object, to reconnectUrl when
// given (standing in for a load balancer that sends her to another node). With expect "recovered": the client
// reports socket.recovered, she gets every missed message once and in order, and she is back in the room without
// joining it. With expect "fresh" (offline past the window, after waitAwayMs): recovered is false, and joinRoom
// works as on a first connect.
// Optional: bobUrl (Bob's node, default url); drop "kill" (the test kills Alice's node instead of the scenario
// closing her transport; with Bob on another node of separate buses, her offset is then her own join event);
// pauses: names of checkpoints ("drop": the test drops her; "sentWhileAway": the test waits until history has
// what was sent) at which the scenario prints {"paused":"<name>", ...} and waits for a line on its stdin.
// Prints one JSON line {ok, mode, steps, error?}; exits 0 on success, 1 when a check fails, 3 past its budget.

const { io } = require('socket.io-client');

const STEP_TIMEOUT_MS = 15_000;
const SCENARIO_TIMEOUT_MS = 90_000;

const config = JSON.parse(process.argv[2]);
const results = { ok: false, mode: config.mode, steps: [] };
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

setTimeout(() => finish(3, 'scenario did not finish within ' + SCENARIO_TIMEOUT_MS + ' ms'), SCENARIO_TIMEOUT_MS);

const pausedAt = [];
if ((config.pauses || []).length > 0) {
  require('readline').createInterface({ input: process.stdin }).on('line', () => {
    const goOn = pausedAt.shift();
    if (goOn) goOn();
  });
}

// Tells the test the scenario reached checkpoint `name` (when it asked to pause there) and waits until it says go on.
async function pause(name, detail) {
  if (!(config.pauses || []).includes(name)) {
    return;
  }
  const goOn = new Promise((resolve) => pausedAt.push(resolve));
  process.stdout.write(JSON.stringify({ paused: name, ...detail }) + '\n');
  await within(goOn, 'the test to go on after ' + name);
}

function check(condition, message) {
  if (!condition) {
    throw new Error('check failed: ' + message);
  }
}

function step(name, detail) {
  results.steps.push(detail === undefined ? name : { step: name, ...detail });
}

function within(promise, what) {
  return Promise.race([promise, new Promise((resolve, reject) =>
    setTimeout(() => reject(new Error('no ' + what + ' within ' + STEP_TIMEOUT_MS + ' ms')), STEP_TIMEOUT_MS))]);
}

function open(url, name, token) {
  const socket = io(url, {
    forceNew: true,
    reconnection: false,
    timeout: STEP_TIMEOUT_MS,
    transports: config.mode === 'polling' ? ['polling'] : ['websocket'],
    auth: { token },
  });
  sockets.push(socket);
  socket.received = [];
  socket.on('receiveMessage', (m) => socket.received.push({ kind: 'room', id: m.id, text: m.messageText }));
  socket.on('privateMessage', (m) => socket.received.push({ kind: 'private', id: m.id, text: m.messageText }));
  return socket;
}

function connected(socket, what) {
  return within(new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  }), what);
}

function until(predicate, what) {
  return within(new Promise((resolve) => {
    const poll = () => (predicate() ? resolve() : setTimeout(poll, 20));
    poll();
  }), what);
}

async function requestOk(socket, event, payload) {
  const ack = await socket.timeout(STEP_TIMEOUT_MS).emitWithAck(event, payload);
  check(ack && ack.ok === true, event + ' acked ok: ' + JSON.stringify(ack));
  return ack;
}

async function main() {
  const { alice: a, bob: b } = config.users;
  const alice = open(config.url, 'alice', a.token);
  await connected(alice, 'alice connected');
  check(typeof alice._pid === 'string' && alice._pid.length > 0, 'the CONNECT answer carries a pid');
  const bob = open(config.bobUrl || config.url, 'bob', b.token);
  await connected(bob, 'bob connected');
  await requestOk(alice, 'joinRoom', { roomName: config.room });
  await requestOk(bob, 'joinRoom', { roomName: config.room });
  step('joined');

  let before;
  if (config.drop === 'kill') {
    // Bob may be on another node with a bus of its own: her offset is her own join event
    await until(() => alice.received.length > 0, 'alice got her join event');
    before = alice.received[alice.received.length - 1];
  } else {
    before = await requestOk(bob, 'sendMessage', { roomName: config.room, message: 'before the drop' });
    await until(() => alice.received.some((m) => m.id === before.id), 'alice got the message before the drop');
  }
  check(alice._lastOffset === before.id, 'the offset is the last message id: ' + alice._lastOffset);
  step('offsetTracked');

  const dropped = new Promise((resolve) => alice.once('disconnect', resolve));
  if (config.drop === 'kill') {
    await pause('drop'); // the test kills her node
  } else {
    alice.io.engine.transport.close(); // the connection goes away under the client, as on a network drop
  }
  const reason = await within(dropped, 'alice disconnected');
  check(['transport close', 'transport error', 'forced close', 'ping timeout'].includes(reason),
    'dropped, not disconnected on purpose: ' + reason);
  const pidBefore = alice._pid;
  step('dropped');

  const missed = [];
  for (let i = 1; i <= 3; i++) {
    missed.push((await requestOk(bob, 'sendMessage', { roomName: config.room, message: 'missed ' + i })).id);
  }
  missed.push((await requestOk(bob, 'sendPrivateMessage', { to: a.email, message: 'missed privately' })).id);
  await pause('sentWhileAway', { ids: missed });
  step('sentWhileAway');
  if (config.waitAwayMs) {
    await new Promise((resolve) => setTimeout(resolve, config.waitAwayMs));
  }

  const receivedBefore = alice.received.length;
  if (config.reconnectUrl) {
    alice.io.uri = config.reconnectUrl; // the load balancer sends her elsewhere
  }
  alice.connect();
  await connected(alice, 'alice reconnected');

  if (config.expect === 'fresh') {
    check(alice.recovered === false, 'a client past the window is not recovered');
    check(alice._pid !== pidBefore, 'a fresh session has a new pid');
    await requestOk(alice, 'joinRoom', { roomName: config.room });
    const after = await requestOk(bob, 'sendMessage', { roomName: config.room, message: 'after the fresh start' });
    await until(() => alice.received.some((m) => m.id === after.id), 'alice got a message after re-joining');
    step('fresh');
    return;
  }

  check(alice.recovered === true, 'socket.recovered after the reconnect');
  check(alice._pid === pidBefore, 'the same pid');
  await until(() => missed.every((id) => alice.received.some((m) => m.id === id)), 'every missed message');
  const replayed = alice.received.slice(receivedBefore).map((m) => m.id);
  const missedOrder = replayed.filter((id) => missed.includes(id));
  check(JSON.stringify(missedOrder) === JSON.stringify(missed), 'missed in order: ' + JSON.stringify(replayed));
  check(new Set(alice.received.map((m) => m.id)).size === alice.received.length,
    'no message twice: ' + JSON.stringify(alice.received));
  check(!replayed.includes(before.id), 'nothing from before the drop again');
  step('replayed', { count: replayed.length });

  const after = await requestOk(bob, 'sendMessage', { roomName: config.room, message: 'after the recovery' });
  await until(() => alice.received.some((m) => m.id === after.id), 'alice back in the room without joining');
  const mine = await requestOk(alice, 'sendMessage', { roomName: config.room, message: 'alice is back' });
  check(typeof mine.id === 'string', 'alice can send');
  check(alice._lastOffset === mine.id || alice._lastOffset === after.id, 'the offset moves on');
  step('backInRoom');
}

main().then(() => finish(0), (e) => finish(1, e));
