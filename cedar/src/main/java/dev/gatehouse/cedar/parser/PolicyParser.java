package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import java.util.List;

/**
 * Parses Cedar policy text into the AST.
 *
 * <p>Policies of a policy set get the ids {@code policy0}, {@code policy1}, ... in textual order,
 * as Cedar's {@code PolicySet::from_str} does; an {@code @id} annotation does not change the id.
 */
public final class PolicyParser {
  /** The deepest nesting of parentheses, brackets, braces and conditionals accepted. */
  public static final int MAX_NESTING = 200;

  /** The deepest expression tree accepted (long operator chains count too). */
  public static final int MAX_TREE_DEPTH = 1000;

  private PolicyParser() {}

  /**
   * Parses a sequence of policies and templates.
   *
   * @throws ParseException on any syntax error
   */
  public static List<Policy> parsePolicies(String text) {
    Parser p = new Parser(text);
    return p.onSufficientStack(p::policies);
  }

  /**
   * Returns the source offset where each policy of {@code text} starts (its first annotation or
   * its effect), in textual order, so that tools can point at a policy by line and column.
   *
   * @throws ParseException on any syntax error
   */
  public static int[] policyOffsets(String text) {
    List<Integer> starts = new java.util.ArrayList<>();
    Parser p = new Parser(text);
    p.onSufficientStack(() -> p.policies(starts));
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Parses exactly one policy or template and gives it {@code id}.
   *
   * @throws ParseException on any syntax error or when the text holds not exactly one policy
   */
  public static Policy parsePolicy(String text, String id) {
    List<Policy> ps = parsePolicies(text);
    if (ps.size() != 1) {
      throw new ParseException("expected exactly one policy, found " + ps.size(), 1, 1);
    }
    return ps.get(0).withId(id);
  }

  /**
   * Parses a single expression.
   *
   * @throws ParseException on any syntax error
   */
  public static Expr parseExpr(String text) {
    Parser p = new Parser(text);
    return p.onSufficientStack(p::standaloneExpr);
  }
}
