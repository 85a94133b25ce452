/**
 * The CPU backend's threading at full speed without settings: before ND4J's native libraries load, the library puts
 * {@code OMP_WAIT_POLICY=PASSIVE} into the process's native environment ({@link io.github.dl4jspectral.cpu.CpuSpeed}),
 * and on the first use of a spectral layer it warns once if the spinning default is in effect.
 * <p>May use: ND4J; JavaCPP; SLF4J.
 */
package io.github.dl4jspectral.cpu;
