package dev.vigil.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Walks Grafana dashboard JSON. */
final class Dashboards {
  private Dashboards() {}

  /** Every panel, rows included, and the panels nested in collapsed rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> result = new ArrayList<>();
    collect(dashboard.path("panels"), result);
    return result;
  }

  private static void collect(JsonNode panels, List<JsonNode> into) {
    for (JsonNode panel : panels) {
      into.add(panel);
      collect(panel.path("panels"), into);
    }
  }

  static boolean isRow(JsonNode panel) {
    return "row".equals(panel.path("type").asText());
  }
}
