package dev.vigil.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a Markdown block becomes a source file. */
class JavaBlocksTest {

  @Test
  void blocksAreFoundWithTheLineOfTheirFenceSectionAndMarkerAndOtherFencesHideTheirHashes() {
    List<JavaBlocks.Block> blocks =
        JavaBlocks.parse(
            "# Title\n### Setup\n```sh\n# not a heading\n```\n```java\nimport a.B;\n```\n"
                + "<!-- snippet: context=TryContext -->\n```java\n} catch (Exception e) {\n}\n```\n"
                + "<!-- snippet: skip=pseudo-code -->\n```java\nsomething\n```\n");

    assertThat(blocks)
        .extracting(
            JavaBlocks.Block::line,
            JavaBlocks.Block::section,
            JavaBlocks.Block::complete,
            JavaBlocks.Block::context,
            JavaBlocks.Block::skip)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(6, "Setup", true, null, null),
            org.assertj.core.groups.Tuple.tuple(10, "Setup", false, "TryContext", null),
            org.assertj.core.groups.Tuple.tuple(15, "Setup", false, null, "pseudo-code"));
  }

  @Test
  void typeDeclarationsLeaveTheStatementsWithPublicDroppedAndAnnotationsKept() {
    String[] split =
        JavaBlocks.splitTypes(
            "@Deprecated\npublic final class A {\n  void f() { String s = \"}\"; }\n}\n"
                + "A a = new A();\nrecord R(int x) {}\nint y = 1;\n");

    assertThat(split[0])
        .isEqualTo(
            "@Deprecated\nfinal class A {\n  void f() { String s = \"}\"; }\n}\n\n"
                + "record R(int x) {}\n\n");
    assertThat(split[1]).isEqualTo("\n\n\n\nA a = new A();\n\nint y = 1;\n");
  }

  @Test
  void aCompleteBlockGetsOnlyItsImportsAndTheStandIns() throws IOException {
    JavaBlocks.Source source =
        JavaBlocks.source(JavaBlocks.parse("```java\nimport x.Y;\n\nY y = new Y();\n```\n").get(0));

    assertThat(source.text())
        .isEqualTo(
            "package readme.line1;\nimport x.Y;\n\nimport dev.vigil.readme.*;\n\n"
                + "final class Snippet {\n  void snippet() throws Exception {\n\n\nY y = new Y();\n\n"
                + "\n  }\n}\n");
  }
}
