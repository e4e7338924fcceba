package dev.vigil.spring.boot.contract;

import dev.vigil.testkit.http.HttpAdapterContract;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP-adapter contract on Spring Boot 3.5 MVC served by Jetty 12, as an application that swaps
 * {@code spring-boot-starter-tomcat} for {@code spring-boot-starter-jetty} gets it (both are on
 * this module's test class path, so the test names its server factory).
 */
class SpringBootJettyContractTest extends HttpAdapterContract {
  @Override
  protected Application start(Setup setup) {
    return ContractApplication.start(setup, JettyServer.class);
  }

  @Configuration(proxyBeanMethods = false)
  static class JettyServer {
    @Bean
    JettyServletWebServerFactory jettyServletWebServerFactory() {
      return new JettyServletWebServerFactory();
    }
  }
}
