/** Cedar runtime values: booleans, 64-bit integers, strings, sets, records, entity references and extension values. */
package dev.gatehouse.cedar.value;
