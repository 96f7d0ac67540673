/** The Kiln control plane. */
package dev.kiln.controlplane;
