package dev.vigil.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.openqa.selenium.WebElement;

/** Checks of what the KPI page shows against the {@code /kpi} document. */
final class KpiPages {
  private KpiPages() {}

  /**
   * The tile holds exactly the number at {@code path} of {@code /kpi} (a rate without events is
   * null there and blank on the page).
   */
  static void assertShows(WebElement tile, String path, JsonNode expected) {
    assertThat(expected.isMissingNode()).as(path + " in /kpi").isFalse();
    String shown = tile.getAttribute("data-value");
    if (expected.isNull()) {
      assertThat(shown).as(path).isEmpty();
      assertThat(tile.getAttribute("textContent"))
          .as(path)
          .isEqualTo("–"); // hidden when its section is empty
      return;
    }
    assertThat(new BigDecimal(shown)).as(path).isEqualByComparingTo(expected.decimalValue());
  }
}
