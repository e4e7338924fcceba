package dev.vigil.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No banner comments ({@code // ---- section}, {@code # ====}) anywhere in the tree: a file that
 * needs sections to be read has more than one role, and should be split along them instead.
 */
class BannerCommentsTest {
  private static final Path ROOT = Path.of("..");
  private static final Set<String> SKIPPED = Set.of("target", ".git", "node_modules");
  private static final Pattern SOURCE = Pattern.compile(".*\\.(java|js|css|html|sh|xml|ya?ml)");

  /** A comment opener followed by a rule of four or more dashes, equals signs or stars. */
  private static final Pattern BANNER =
      Pattern.compile("^\\s*(//|#|<!--|/?\\*)\\s*([-=*#])\\2{3,}.*");

  @Test
  void noSourceFileHasABannerComment() throws IOException {
    List<String> banners = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      files
          .filter(Files::isRegularFile)
          .filter(f -> SOURCE.matcher(f.getFileName().toString()).matches())
          .filter(f -> !skipped(f))
          .forEach(f -> collect(f, banners));
    }
    assertThat(banners).isEmpty();
  }

  private static boolean skipped(Path file) {
    for (Path part : ROOT.relativize(file)) {
      if (SKIPPED.contains(part.toString())) {
        return true;
      }
    }
    return file.getFileName().toString().endsWith(".min.js");
  }

  private static void collect(Path file, List<String> banners) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (UncheckedIOException | IOException e) {
      return; // not text: no comments to check
    }
    for (int i = 0; i < lines.size(); i++) {
      if (BANNER.matcher(lines.get(i)).matches()) {
        banners.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
      }
    }
  }
}
