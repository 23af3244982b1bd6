/** The Gatehouse server: OAuth 2.1 / OpenID Connect, tenants, keys and policy decisions. */
package dev.gatehouse.server;
