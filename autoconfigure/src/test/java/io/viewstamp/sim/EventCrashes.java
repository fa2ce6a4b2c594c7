package io.viewstamp.sim;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Crashes timed to protocol events: after a replica does one of {@code events}, it crashes at once
 * (as soon as the call that did it returns) with probability {@code probability}; after such a
 * crash, no other is timed for {@code cooldownTicks}, so that frequent events (acknowledgements)
 * do not keep a cluster down.
 *
 * @param probability the chance of a crash after each event of {@code events}
 * @param events the events crashes are timed to
 * @param cooldownTicks the ticks after a timed crash before the next may happen
 */
public record EventCrashes(double probability, Set<ProtocolEvent> events, int cooldownTicks) {

	/** The longest quiet time after a timed crash. */
	public static final int COOLDOWN_TICKS_MAX = 400;

	public EventCrashes {
		if (!(probability >= 0 && probability <= 1) || cooldownTicks < 0) {
			throw new IllegalArgumentException("Invalid timed crashes: probability " + probability + ", cooldown "
					+ cooldownTicks);
		}
		events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
	}

	/** No timed crashes. */
	public static EventCrashes none() {
		return new EventCrashes(0, Set.of(), 0);
	}

	/**
	 * Draws timed crashes: a non-empty random subset of the events (one alone in a third of the
	 * draws, so that some seeds hammer one moment), a chance per event from 0.1% to 30% (log-uniform),
	 * and a cooldown.
	 * @param random the generator
	 * @return the timed crashes
	 */
	public static EventCrashes random(SplittableRandom random) {
		ProtocolEvent[] all = ProtocolEvent.values();
		EnumSet<ProtocolEvent> events = EnumSet.noneOf(ProtocolEvent.class);
		if (random.nextInt(3) == 0) {
			events.add(all[random.nextInt(all.length)]);
		}
		else {
			for (ProtocolEvent event : all) {
				if (random.nextBoolean()) {
					events.add(event);
				}
			}
			if (events.isEmpty()) {
				events.add(all[random.nextInt(all.length)]);
			}
		}
		double probability = RandomStreams.logUniform(random, 0.001, 0.3);
		return new EventCrashes(probability, events, random.nextInt(50, COOLDOWN_TICKS_MAX + 1));
	}

	/**
	 * The chance of a crash after one {@code event}: the drawn chance, ten times it (at most
	 * certain) for the events that come once per view change or recovery rather than once per op
	 * (a vote, a start-view, an answer to a recovering replica), so that a world that times crashes
	 * to them meets them at all.
	 */
	public double probabilityOf(ProtocolEvent event) {
		boolean rare = event == ProtocolEvent.DO_VIEW_CHANGE_SENT || event == ProtocolEvent.START_VIEW_SENT
				|| event == ProtocolEvent.RECOVERY_RESPONSE_SENT;
		return rare ? Math.min(1, 10 * this.probability) : this.probability;
	}

	/** Whether a crash may be timed to {@code event}. */
	public boolean times(ProtocolEvent event) {
		return this.probability > 0 && this.events.contains(event);
	}

	/** A short description for reports. */
	public String describe() {
		return (this.probability == 0) ? "none"
				: String.format(Locale.ROOT, "%.2f%% after %s", this.probability * 100, new TreeSet<>(this.events));
	}

}
