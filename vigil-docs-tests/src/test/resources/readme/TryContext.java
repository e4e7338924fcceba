package readme;

// The context of a fragment that is the end of a try block: "} catch (Exception e) { ... }".

import dev.vigil.*;
import java.util.Map;

@SuppressWarnings("unused")
abstract class Snippet {
  Monitoring monitoring;
  String userId;
  String text;

  abstract void work() throws Exception;

  void snippet() {
    try {
      work();
/*SNIPPET*/
  }
}
