package io.viewstamp.beans;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Several observers as one (a timer and the observations for traces, say). Each is told in turn,
 * and one that throws does not keep the others from being told.
 */
final class CompositeCommandObserver implements CommandObserver {

	private final List<CommandObserver> observers;

	CompositeCommandObserver(List<CommandObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	@Override
	public Call started(String bean, String method, Kind kind) {
		List<Call> calls = new ArrayList<>(this.observers.size());
		for (CommandObserver observer : this.observers) {
			try {
				Call call = observer.started(bean, method, kind);
				if (call != Call.NONE) {
					calls.add(call);
				}
			}
			catch (RuntimeException ex) {
				// That observer loses this call; the others still see it.
			}
		}
		return calls.isEmpty() ? Call.NONE : new CompositeCall(calls);
	}

	private record CompositeCall(List<Call> calls) implements Call {

		@Override
		public void committedAt(long op) {
			for (Call call : this.calls) {
				try {
					call.committedAt(op);
				}
				catch (RuntimeException ex) {
					// As in started.
				}
			}
		}

		@Override
		public void completed(@Nullable Throwable failure) {
			for (Call call : this.calls) {
				try {
					call.completed(failure);
				}
				catch (RuntimeException ex) {
					// As in started.
				}
			}
		}

	}

}
