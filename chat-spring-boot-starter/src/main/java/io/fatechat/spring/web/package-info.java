/** The registration of the REST API ({@link io.fatechat.ws.ChatRestServlet}) in Spring Boot. */
package io.fatechat.spring.web;
