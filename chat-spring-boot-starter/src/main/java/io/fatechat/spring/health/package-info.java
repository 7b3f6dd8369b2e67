/** Spring Boot health indicators, one per configured backend. */
package io.fatechat.spring.health;
