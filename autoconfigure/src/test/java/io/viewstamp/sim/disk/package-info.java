/**
 * A simulated disk as a {@link java.nio.file.FileSystem}, so that the real storage code runs
 * unchanged inside the deterministic simulator. It keeps, for every file and directory, what is
 * durable next to what is current, and a power loss ({@link io.viewstamp.sim.disk.SimFileSystem#crash})
 * keeps exactly what POSIX promises: data and lengths only after {@code fsync} of the file, names
 * only after {@code fsync} of their directory, and anything unsynced torn or reordered by sector.
 */
package io.viewstamp.sim.disk;
