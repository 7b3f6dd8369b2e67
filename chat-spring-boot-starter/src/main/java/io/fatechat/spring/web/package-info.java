/** The REST API of Fatechat as a plain Jakarta servlet, and its registration in Spring Boot. */
package io.fatechat.spring.web;
