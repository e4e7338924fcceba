package readme;

// The context of the README's request-scope fragment: an adapter for a server of its own.

import dev.vigil.http.*;

@SuppressWarnings("unused")
abstract class Snippet {
  HttpInstrumentation http;
  Exchange exchange;
  Handler handler;

  static final RequestReader<Exchange> READER = null;

  void snippet() throws Exception {
/*SNIPPET*/
  }

  interface Exchange {
    int status();

    String template();
  }

  interface Handler {
    void handle(Exchange exchange);
  }
}
