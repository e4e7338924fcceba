package dev.vigil.spring.boot.contract;

import dev.vigil.testkit.http.HttpAdapterContract;

/** The HTTP-adapter contract on Spring Boot 3.5 MVC with its default server, Tomcat. */
class SpringBootTomcatContractTest extends HttpAdapterContract {
  @Override
  protected Application start(Setup setup) {
    return ContractApplication.start(setup);
  }
}
