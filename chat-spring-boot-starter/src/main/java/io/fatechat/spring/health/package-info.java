/** Spring Boot health indicators, one per configured backend, on Boot 4 and (with the same checks) Boot 3.5. */
package io.fatechat.spring.health;
