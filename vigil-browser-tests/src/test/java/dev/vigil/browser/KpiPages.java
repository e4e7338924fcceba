package dev.vigil.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/** Checks of what the KPI page shows against the {@code /kpi} document. */
final class KpiPages {
  private KpiPages() {}

  /** A number on the page: its {@code /kpi} path, exact value and text. */
  record Tile(String path, String value, String text) {}

  /**
   * Every tile, read in one script so that a refresh of the page cannot change it half-way (the
   * page rebuilds some tiles, such as one per distinct-user window, on each refresh).
   */
  @SuppressWarnings("unchecked")
  static List<Tile> tiles(ChromeDriver driver) {
    List<List<String>> rows =
        (List<List<String>>)
            ((JavascriptExecutor) driver)
                .executeScript(
                    "return Array.from(document.querySelectorAll('[data-kpi]')).map(function (e) {"
                        + " return [e.dataset.kpi, e.dataset.value || '', e.textContent]; });");
    return rows.stream()
        .map(r -> new Tile("/" + r.get(0).replace('.', '/'), r.get(1), r.get(2)))
        .toList();
  }

  /**
   * The tile holds exactly the number at its path of {@code /kpi} (a rate without events is null
   * there and a dash on the page).
   */
  static void assertShows(Tile tile, JsonNode kpi) {
    JsonNode expected = kpi.at(tile.path());
    assertThat(expected.isMissingNode()).as(tile.path() + " in /kpi").isFalse();
    if (expected.isNull()) {
      assertThat(tile.value()).as(tile.path()).isEmpty();
      assertThat(tile.text()).as(tile.path()).isEqualTo("–");
      return;
    }
    assertThat(new BigDecimal(tile.value()))
        .as(tile.path())
        .isEqualByComparingTo(expected.decimalValue());
  }
}
