package dev.vigil.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the README compiles, against the real modules and servers (see
 * {@link JavaBlocks} for how a block becomes a source file and how to give a fragment its context).
 * All blocks compile in one javac run; each is reported as a test of its own, named by its line and
 * section, with javac's errors and the offending line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeSnippetsTest {
  private static final Path README = Path.of("..", "README.md");

  private final Map<JavaBlocks.Block, List<String>> errors = new LinkedHashMap<>();
  private final Map<JavaBlocks.Block, JavaBlocks.Source> sources = new LinkedHashMap<>();

  @BeforeAll
  void compileEveryBlock(@TempDir Path classes) throws IOException {
    List<JavaBlocks.Block> blocks =
        JavaBlocks.parse(Files.readString(README, StandardCharsets.UTF_8));
    List<JavaFileObject> units = new ArrayList<>();
    Map<URI, JavaBlocks.Block> byUri = new LinkedHashMap<>();
    for (JavaBlocks.Block block : blocks) {
      errors.put(block, new ArrayList<>());
      JavaBlocks.Source source = JavaBlocks.source(block);
      if (source == null) {
        continue;
      }
      sources.put(block, source);
      JavaFileObject unit = new Unit(block, source.text());
      units.add(unit);
      byUri.put(unit.toUri(), block);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      String classPath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      javac
          .getTask(
              null,
              files,
              diagnostics,
              List.of("-proc:none", "-classpath", classPath, "-d", classes.toString()),
              null,
              units)
          .call();
    }
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) {
        continue;
      }
      JavaBlocks.Block block = byUri.get(d.getSource().toUri());
      String text = sources.get(block).text();
      String[] lines = text.split("\n", -1);
      long number = d.getLineNumber();
      String offending =
          number > 0 && number <= lines.length ? lines[(int) number - 1].strip() : "";
      errors.get(block).add(d.getMessage(Locale.ROOT) + "\n    at: " + offending);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() {
    return errors.entrySet().stream()
        .map(
            entry ->
                DynamicTest.dynamicTest(
                    entry.getKey().describe(),
                    () -> {
                      JavaBlocks.Block block = entry.getKey();
                      if (block.skip() != null) {
                        return;
                      }
                      assertThat(entry.getValue())
                          .as(
                              block.describe()
                                  + " does not compile; generated source:\n"
                                  + numbered(sources.get(block).text()))
                          .isEmpty();
                    }));
  }

  @Test
  void theReadmeHasTheSetupSectionsThisCheckIsFor() {
    assertThat(errors.keySet())
        .extracting(JavaBlocks.Block::section)
        .contains("HTTP traffic", "Spring Boot", "Adding Vigil");
    assertThat(errors.keySet())
        .filteredOn(JavaBlocks.Block::complete)
        .hasSizeGreaterThanOrEqualTo(8);
    assertThat(errors.keySet()).filteredOn(b -> b.skip() != null).isEmpty();
  }

  private static String numbered(String text) {
    StringBuilder out = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      out.append(String.format("%4d  %s%n", i + 1, lines[i]));
    }
    return out.toString();
  }

  /** A generated source file, named after its block's package. */
  private static final class Unit extends SimpleJavaFileObject {
    private final String text;

    Unit(JavaBlocks.Block block, String text) {
      super(
          URI.create("string:///" + block.packageName().replace('.', '/') + "/Snippet.java"),
          Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
