/**
 * Cedar policy language: parsing, evaluation and authorization, in pure Java (no dependencies
 * beyond the JDK).
 *
 * <p>The public API in this package:
 *
 * <pre>{@code
 * PolicySet policies = PolicySet.parse(text);                  // ids policy0, policy1, ...
 * Entities entities = EntitiesJson.parse(json);                // dev.gatehouse.cedar.json
 * Request request = new Request(principal, action, resource, context);
 * Response r = new Authorizer().isAuthorized(request, policies, entities);
 * r.decision();           // ALLOW or DENY
 * r.reasons();            // determining policy ids
 * r.errors();             // policies skipped because evaluation failed, with messages
 * }</pre>
 *
 * <p>Errors in input are {@link dev.gatehouse.cedar.ParseException} (with line and column);
 * everything this library throws about its input is a {@link dev.gatehouse.cedar.CedarException}.
 *
 * <p>The pipeline is visible in the packages: {@code parser} (text → {@code ast}), {@code json}
 * (JSON ↔ AST, values, entities), {@code value} and {@code eval} (semantics), {@code format}
 * (AST → text), {@code conformance} and {@code cli} (the official test corpus runner).
 */
package dev.gatehouse.cedar;
