/**
 * The Kiln endpoint server: {@link dev.kiln.endpoint.EndpointMain} boots the Quarkus app ({@link
 * dev.kiln.endpoint.EndpointApp}) that serves one model ({@code runner}) over HTTP ({@code http})
 * with dynamic batching ({@code batch}); {@code bench} holds {@code kiln bench serve}.
 */
package dev.kiln.endpoint;
