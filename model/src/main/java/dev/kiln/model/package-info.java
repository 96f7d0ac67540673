/** Kiln model. */
package dev.kiln.model;
