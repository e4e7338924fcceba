package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteNormalizerTest {
  private final RouteNormalizer normalizer = RouteNormalizer.create();

  @Test
  void numericSegmentsBecomeIds() {
    assertThat(normalizer.normalize("/api/users/123")).isEqualTo("/api/users/{id}");
    assertThat(normalizer.normalize("/api/orders/42/items/7"))
        .isEqualTo("/api/orders/{id}/items/{id}");
  }

  @Test
  void uuidsInAnyCaseBecomeIds() {
    assertThat(normalizer.normalize("/api/users/550e8400-e29b-41d4-a716-446655440000"))
        .isEqualTo("/api/users/{id}");
    assertThat(normalizer.normalize("/api/users/550E8400-E29B-41D4-A716-446655440000/avatar"))
        .isEqualTo("/api/users/{id}/avatar");
  }

  @Test
  void longHexStringsBecomeIdsButShortWordsStay() {
    assertThat(normalizer.normalize("/commits/3f786850e387550fdab836ed7e6dc881de23001b"))
        .isEqualTo("/commits/{id}");
    assertThat(normalizer.normalize("/objects/507f1f77bcf86cd799439011"))
        .isEqualTo("/objects/{id}");
    assertThat(normalizer.normalize("/cafe/beef/facade")).isEqualTo("/cafe/beef/facade");
  }

  @Test
  void longOpaqueTokensWithDigitsBecomeIds() {
    assertThat(normalizer.normalize("/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV")).isEqualTo("/jobs/{id}");
    assertThat(normalizer.normalize("/api/v2/users")).isEqualTo("/api/v2/users");
    assertThat(normalizer.normalize("/docs/getting-started-with-everything"))
        .isEqualTo("/docs/getting-started-with-everything");
  }

  @Test
  void pathWithoutIdsIsReturnedAsGiven() {
    String path = "/api/generate";
    assertThat(normalizer.normalize(path)).isSameAs(path);
  }

  @Test
  void templateSeenBeforeIsReturnedFromTheCacheWithoutBuildingAgain() {
    String first = normalizer.normalize("/api/users/1");
    assertThat(normalizer.normalize("/api/users/2")).isSameAs(first);
    assertThat(normalizer.normalize("/api/users/99999")).isSameAs(first);
  }

  @Test
  void pathParametersAreDropped() {
    assertThat(normalizer.normalize("/cart;jsessionid=ABC123/items/5"))
        .isEqualTo("/cart/items/{id}");
  }

  @Test
  void contextPathIsSkipped() {
    assertThat(normalizer.normalize("/shop/api/users/7", 5)).isEqualTo("/api/users/{id}");
    assertThat(normalizer.normalize("/shop/api", 5)).isEqualTo("/api");
    assertThat(normalizer.normalize("/shop", 5)).isEqualTo("/");
  }

  @Test
  void fromOutsideThePathIsRejected() {
    assertThatThrownBy(() -> normalizer.normalize("/a", 3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("from 3 is outside the path of length 2");
  }

  @Test
  void differentTemplatesSharingACacheSlotAreNeverConfused() {
    // Fill the cache far beyond its size, then check every template is still exact.
    for (int i = 0; i < 5000; i++) {
      assertThat(normalizer.normalize("/r" + i + "x/" + i)).isEqualTo("/r" + i + "x/{id}");
    }
    for (int i = 0; i < 5000; i++) {
      assertThat(normalizer.normalize("/r" + i + "x/" + (i + 1))).isEqualTo("/r" + i + "x/{id}");
    }
  }

  @Test
  void segmentsBeforeKeepUntilStayAsTheyAreAndTheCacheKeepsTheTwoApart() {
    String path = "/shop/2024/orders/7";
    assertThat(normalizer.normalize(path, 5, 10)).isEqualTo("/2024/orders/{id}");
    assertThat(normalizer.normalize(path, 5)).isEqualTo("/{id}/orders/{id}");
    assertThat(normalizer.normalize(path, 5, 10)).isEqualTo("/2024/orders/{id}");
    assertThat(normalizer.normalize("/2024/orders/8", 0, 5)).isEqualTo("/2024/orders/{id}");
  }
}
