package dev.vigil.readme;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```java} blocks of a Markdown file, each turned into a Java source file that compiles
 * if and only if the block is correct. A block is one of:
 *
 * <ul>
 *   <li><b>complete</b>: it starts with {@code import} lines. It is what a reader copies into a
 *       file of their own: its imports are all it gets, besides the stand-ins for the reader's own
 *       classes in this package ({@code ApiServlet}, {@code UsersHandler}, {@code PagerChannel}).
 *       Its type declarations become top-level types ({@code public} dropped, so that several fit
 *       in one file); its other lines the body of a method that may throw anything.
 *   <li><b>a fragment</b>: anything else. It is compiled inside a context: a template in {@code
 *       src/test/resources/readme/}, {@code Fragment.java} unless the line before the block names
 *       another with {@code <!-- snippet: context=Name -->}. A template declares the imports and
 *       the names fragments use ({@code monitoring}, {@code userId}, {@code e}, ...); the
 *       fragment's statements replace its {@code /*SNIPPET*}{@code /} and its type declarations its
 *       {@code /*TYPES*}{@code /}.
 *   <li><b>skipped</b>: {@code <!-- snippet: skip=<why> -->} before the block, for text that is not
 *       meant to compile. Give the reason; prefer a context.
 * </ul>
 *
 * <p>Each block compiles in a package of its own ({@code readme.line<N>}), so two blocks may
 * declare the same type.
 */
final class JavaBlocks {
  private static final Pattern MARKER =
      Pattern.compile("<!--\\s*snippet:\\s*(context|skip)=(.*?)\\s*-->");
  private static final Pattern TYPE_START =
      Pattern.compile(
          "^(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*"
              + "(?:(?:public|protected|private|abstract|final|static|sealed|non-sealed|strictfp)\\s+)*"
              + "(class|interface|enum|record|@interface)\\s+(\\w+)");

  /** One block of the file; {@code line} is the line of its opening fence. */
  record Block(int line, String section, String code, String context, String skip) {
    boolean complete() {
      return context == null && code.strip().startsWith("import ");
    }

    String packageName() {
      return "readme.line" + line;
    }

    String describe() {
      return "README.md line " + line + " (" + section + ")";
    }
  }

  /** A block as a compilation unit. */
  record Source(Block block, String className, String text) {}

  private JavaBlocks() {}

  static List<Block> parse(String markdown) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    String section = "top";
    boolean fenced = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (!fenced && line.matches("#+ .*")) {
        section = line.replaceFirst("^#+\\s*", "");
      }
      if (!line.strip().equals("```java")) {
        if (line.strip().startsWith("```")) {
          fenced = !fenced; // another language's block: its lines are not headings
        }
        continue;
      }
      String context = null;
      String skip = null;
      if (i > 0) {
        Matcher marker = MARKER.matcher(lines[i - 1]);
        if (marker.find()) {
          if (marker.group(1).equals("context")) {
            context = marker.group(2);
          } else {
            skip = marker.group(2);
          }
        }
      }
      StringBuilder code = new StringBuilder();
      int start = i + 1;
      i++;
      while (i < lines.length && !lines[i].strip().equals("```")) {
        code.append(lines[i]).append('\n');
        i++;
      }
      blocks.add(new Block(start, section, code.toString(), context, skip));
    }
    return blocks;
  }

  /** The block as a compilation unit, or null when it is skipped. */
  static Source source(Block block) throws IOException {
    if (block.skip() != null) {
      return null;
    }
    StringBuilder imports = new StringBuilder();
    StringBuilder rest = new StringBuilder();
    boolean header = block.complete();
    for (String line : block.code().split("\n", -1)) {
      String stripped = line.strip();
      if (header && (stripped.startsWith("import ") || stripped.isEmpty())) {
        imports.append(line).append('\n');
        rest.append('\n'); // keep line numbers aligned with the block
        continue;
      }
      header = false;
      rest.append(line).append('\n');
    }
    String[] split = splitTypes(rest.toString());
    String types = split[0];
    String statements = split[1];
    String className = "Snippet";
    if (block.complete()) {
      String text =
          "package "
              + block.packageName()
              + ";\n"
              + imports
              + "import dev.vigil.readme.*;\n"
              + types
              + "\nfinal class Snippet {\n  void snippet() throws Exception {\n"
              + statements
              + "\n  }\n}\n";
      return new Source(block, className, text);
    }
    String template = template(block.context() == null ? "Fragment" : block.context());
    if (!template.contains("/*SNIPPET*/")) {
      throw new IllegalStateException(
          "readme/" + block.context() + ".java has no /*SNIPPET*/ for " + block.describe());
    }
    String text =
        template
            .replace("package readme;", "package " + block.packageName() + ";")
            .replace("/*TYPES*/", types)
            .replace("/*SNIPPET*/", statements);
    return new Source(block, className, text);
  }

  private static String template(String name) throws IOException {
    try (InputStream in = JavaBlocks.class.getResourceAsStream("/readme/" + name + ".java")) {
      if (in == null) {
        throw new IllegalStateException(
            "No context readme/" + name + ".java in vigil-docs-tests/src/test/resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Splits code into its top-level type declarations (with {@code public} dropped) and the rest, in
   * order: {@code [types, statements]}. Braces are counted outside strings, characters and
   * comments.
   */
  static String[] splitTypes(String code) {
    StringBuilder types = new StringBuilder();
    StringBuilder statements = new StringBuilder();
    int i = 0;
    int n = code.length();
    while (i < n) {
      int lineEnd = code.indexOf('\n', i);
      if (lineEnd < 0) {
        lineEnd = n;
      }
      String rest = code.substring(i);
      Matcher type = TYPE_START.matcher(stripLeadingAnnotationLines(rest));
      if (atTopLevelStart(code, i) && type.find() && type.start() == 0) {
        int end = endOfDeclaration(code, i);
        String declaration = code.substring(i, end);
        types.append(
            declaration.replaceFirst(
                "\\bpublic\\s+(?=(?:\\w+\\s+)*(?:class|interface|enum|record)\\b)", ""));
        types.append('\n');
        // keep the statements' line numbers: one blank line per declaration line
        statements.append("\n".repeat((int) declaration.chars().filter(c -> c == '\n').count()));
        i = end;
        continue;
      }
      statements.append(code, i, Math.min(n, lineEnd + 1));
      i = lineEnd + 1;
    }
    return new String[] {types.toString(), statements.toString()};
  }

  /** Whether index {@code i} starts a line at brace depth 0. */
  private static boolean atTopLevelStart(String code, int i) {
    return depthAt(code, i) == 0;
  }

  private static String stripLeadingAnnotationLines(String text) {
    // "@SpringBootApplication\npublic class X" reads as one declaration
    return text.replaceAll("^(\\s*@[\\w.]+(\\([^)]*\\))?\\s*\\n)+", "").stripLeading();
  }

  /** The index just after the declaration starting at {@code from}: its closing brace. */
  private static int endOfDeclaration(String code, int from) {
    int depth = 0;
    boolean opened = false;
    Lexer lexer = new Lexer(code, from);
    while (lexer.hasNext()) {
      char c = lexer.next();
      if (c == '{') {
        depth++;
        opened = true;
      } else if (c == '}') {
        depth--;
        if (opened && depth == 0) {
          int end = lexer.position();
          int lineEnd = code.indexOf('\n', end);
          return lineEnd < 0 ? code.length() : lineEnd + 1;
        }
      }
    }
    return code.length();
  }

  private static int depthAt(String code, int index) {
    int depth = 0;
    Lexer lexer = new Lexer(code, 0);
    while (lexer.hasNext() && lexer.position() < index) {
      char c = lexer.next();
      if (c == '{' || c == '(') {
        depth++;
      } else if (c == '}' || c == ')') {
        depth--;
      }
    }
    return depth;
  }

  /** Walks code outside string, character and text-block literals and comments. */
  private static final class Lexer {
    private final String code;
    private int i;

    Lexer(String code, int from) {
      this.code = code;
      this.i = from;
    }

    boolean hasNext() {
      skip();
      return i < code.length();
    }

    char next() {
      return code.charAt(i++);
    }

    int position() {
      return i;
    }

    private void skip() {
      while (i < code.length()) {
        if (code.startsWith("//", i)) {
          int end = code.indexOf('\n', i);
          i = end < 0 ? code.length() : end;
        } else if (code.startsWith("/*", i)) {
          int end = code.indexOf("*/", i + 2);
          i = end < 0 ? code.length() : end + 2;
        } else if (code.startsWith("\"\"\"", i)) {
          int end = code.indexOf("\"\"\"", i + 3);
          i = end < 0 ? code.length() : end + 3;
        } else if (code.charAt(i) == '"' || code.charAt(i) == '\'') {
          char quote = code.charAt(i);
          int k = i + 1;
          while (k < code.length() && code.charAt(k) != quote && code.charAt(k) != '\n') {
            k += code.charAt(k) == '\\' ? 2 : 1;
          }
          i = Math.min(code.length(), k + 1);
        } else {
          return;
        }
      }
    }
  }
}
