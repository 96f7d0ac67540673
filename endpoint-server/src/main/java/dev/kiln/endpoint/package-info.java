/** The Kiln endpoint server. */
package dev.kiln.endpoint;
