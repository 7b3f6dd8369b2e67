/** Deploys the chat's Socket.IO endpoint (WebSocket and long-polling) into Spring Boot's servlet container. */
package io.fatechat.spring.socketio;
