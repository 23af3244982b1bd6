package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.json.ValueJson;
import dev.gatehouse.cedar.parser.PolicyParser;

/**
 * Entity uids as callers write them: {@code {"type": "User", "id": "alice"}} (also with
 * {@code __entity}) or the Cedar literal {@code User::"alice"}.
 */
final class Uids {

  static final int MAX_LENGTH = 1000;

  private Uids() {}

  /** A uid from a JSON node; {@code what} names it in errors. */
  static EntityUid from(Json j, String what) {
    if (j instanceof Json.Str s) {
      return parse(s.value(), what);
    }
    if (j instanceof Json.Obj) {
      EntityUid uid;
      try {
        uid = ValueJson.toUid(j, "");
      } catch (ParseException e) {
        throw new BadRequest("`" + what + "`: " + e.description());
      }
      return checked(uid, what);
    }
    throw new BadRequest("`" + what + "` must be an entity uid: {\"type\": .., \"id\": ..} or"
        + " a string like `User::\"alice\"`");
  }

  /** Parses {@code Type::"id"}: a fast path for plain ids, the Cedar parser for escapes. */
  static EntityUid parse(String s, String what) {
    if (s.length() > MAX_LENGTH) {
      throw new BadRequest("`" + what + "` is longer than " + MAX_LENGTH + " characters");
    }
    int sep = s.indexOf("::\"");
    if (sep > 0 && s.endsWith("\"") && s.length() >= sep + 4) {
      String type = s.substring(0, sep);
      String id = s.substring(sep + 3, s.length() - 1);
      if (id.indexOf('\\') < 0 && id.indexOf('"') < 0 && validType(type)) {
        return checked(new EntityUid(EntityType.of(type), id), what);
      }
    }
    try {
      if (PolicyParser.parseExpr(s) instanceof Expr.EntityLit lit) {
        return checked(lit.uid(), what);
      }
    } catch (ParseException e) {
      // fall through to the message below
    }
    throw new BadRequest("`" + what + "` is not an entity uid like `User::\"alice\"`");
  }

  private static boolean validType(String type) {
    for (String part : type.split("::", -1)) {
      if (!dev.gatehouse.cedar.ast.Names.isIdentifier(part)) {
        return false;
      }
    }
    return true;
  }

  private static EntityUid checked(EntityUid uid, String what) {
    if (uid.type().name().isEmpty() || uid.id().length() + uid.type().name().length()
        > MAX_LENGTH) {
      throw new BadRequest("`" + what + "` is longer than " + MAX_LENGTH + " characters");
    }
    return uid;
  }

  /** A request that cannot be understood: answered 400 with the message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
