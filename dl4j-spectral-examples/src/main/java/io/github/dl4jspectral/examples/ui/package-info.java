/**
 * DL4J's training UI for spectral networks: {@link io.github.dl4jspectral.examples.ui.TrainingUi} starts the server
 * and attaches networks (one session per model, named after it); {@code EffectiveWeightsRouter} adds each spectral
 * layer's effective weights W to the reports, under the key DL4J's pages plot; {@link
 * io.github.dl4jspectral.examples.ui.SpectralPage} (with {@code SpectralSessions} and the {@code spectral.html}
 * resource next to it) is the "Spectral layers" page, registered with DL4J's server as a service
 * ({@code META-INF/services/org.deeplearning4j.ui.api.UIModule}); {@code PagePatches} appends two small fixes
 * ({@code dl4j-style-patch.css}, {@code dl4j-train-patch.js}) to DL4J's own page assets as the server sends them.
 * <p>May use: DL4J's UI (deeplearning4j-ui and its Vert.x), DL4J, SLF4J, the library (conf, layers). Not the CLI.
 */
package io.github.dl4jspectral.examples.ui;
