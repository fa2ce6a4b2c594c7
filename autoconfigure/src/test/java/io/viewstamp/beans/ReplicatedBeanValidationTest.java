package io.viewstamp.beans;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;
import io.viewstamp.ReplicatedState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A bean whose commands or state Jackson can not carry without default typing is refused when
 * it is registered, with an error that names the bean, the method or field, the type and the fix.
 */
class ReplicatedBeanValidationTest {

	private final BeanStateMachine stateMachine = new BeanStateMachine(JsonMapper.builder().build());

	@Test
	void aMethodTakingObjectIsRefusedNamingBeanAndMethod() {
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("anything", new TakesObject()))
			.withMessageContaining("take(java.lang.Object)")
			.withMessageContaining("'anything'")
			.withMessageContaining("Object (any type)")
			.withMessageContaining("Use a concrete type, a record or a class Jackson can construct");
	}

	@Test
	void anInterfaceWithoutAConcreteTypeIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("shapes", new TakesInterface()))
			.withMessageContaining("draw(io.viewstamp.beans.ReplicatedBeanValidationTest$Shape)")
			.withMessageContaining("'shapes'")
			.withMessageContaining("is abstract");
	}

	@Test
	void theContentsOfContainersAndRecordsAreChecked() {
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("lists", new ListOfObjects()))
			.withMessageContaining("put(java.util.List)")
			.withMessageContaining("Object");
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("wrapped", new WrappedShape()))
			.withMessageContaining("Framed.shape")
			.withMessageContaining("is abstract");
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("keys", new RecordKeys()))
			.withMessageContaining("map keys of type");
	}

	@Test
	void aResultTypeIsCheckedToo() {
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("results", new ReturnsObject()))
			.withMessageContaining("the result")
			.withMessageContaining("anything()");
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("raw", new RawFuture()))
			.withMessageContaining("raw CompletableFuture");
	}

	@Test
	void aStateFieldOfAnAbstractTypeIsRefusedUnlessTransient() {
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("collaborator", new WithCollaborator()))
			.withMessageContaining("Field 'listener'")
			.withMessageContaining("'collaborator'")
			.withMessageContaining("mark the field transient");
		assertThatNoException().isThrownBy(() -> this.stateMachine.register("transient", new WithTransientCollaborator()));
	}

	@Test
	void aReplicatedStateWithoutAConcreteStateTypeIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("generic", new GenericState<>()))
			.withMessageContaining("ReplicatedState<YourState>");
	}

	@Test
	void containersOptionalsRecordsAndFuturesOfThemAreAccepted() {
		assertThatNoException().isThrownBy(() -> this.stateMachine.register("fine", new Fine()));
		ReplicatedBean bean = this.stateMachine.bean("fine");
		assertThat(bean.methods()).containsOnlyKeys("put(java.util.List,java.util.Map,java.util.Optional)",
				"later(java.lang.String)", "read()");
		assertThat(bean.method("read()").isCommand()).isFalse();
		assertThat(bean.method("later(java.lang.String)").isCommand()).isTrue();
	}

	@Test
	void aFinalClassOrMethodIsRefusedBecauseItsCallsCanNotBeIntercepted() {
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("final", new FinalBean()))
			.withMessageContaining("final class");
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("finalMethod", new FinalMethod()))
			.withMessageContaining("set(int)")
			.withMessageContaining("is final");
	}

	@Test
	void aReadOnlyMethodMayUseAnyTypeBecauseItsValuesNeverTravel() {
		assertThatNoException().isThrownBy(() -> this.stateMachine.register("reads", new ReadsAnything()));
		assertThat(this.stateMachine.bean("reads").method("find(java.lang.Object)").isCommand()).isFalse();
	}

	@Test
	void twoBeansWithOneNameAreRefused() {
		this.stateMachine.register("twice", new Fine());
		assertThatIllegalStateException().isThrownBy(() -> this.stateMachine.register("twice", new Fine()))
			.withMessageContaining("named 'twice' is registered already");
	}

	@Test
	void aSpringContextWithAnInvalidBeanFailsToStartNamingBeanAndMethod() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(ReplicatedBeanPostProcessor.class,
					() -> new ReplicatedBeanPostProcessor(this.stateMachine, () -> null));
			context.registerBean("anything", TakesObject.class);
			assertThatExceptionOfType(BeanCreationException.class).isThrownBy(context::refresh)
				.withMessageContaining("anything")
				.withMessageContaining("take(java.lang.Object)");
		}
	}

	interface Shape {
	}

	record Framed(Shape shape) {
	}

	record Point(int x, int y) {
	}

	@Replicated
	static class TakesObject {

		public void take(Object value) {
		}

	}

	@Replicated
	static class TakesInterface {

		public void draw(Shape shape) {
		}

	}

	@Replicated
	static class ListOfObjects {

		public void put(List<Object> values) {
		}

	}

	@Replicated
	static class WrappedShape {

		public void frame(Framed framed) {
		}

	}

	@Replicated
	static class RecordKeys {

		public void plot(Map<Point, String> labels) {
		}

	}

	@Replicated
	static class ReturnsObject {

		public Object anything() {
			return null;
		}

	}

	@Replicated
	static class RawFuture {

		@SuppressWarnings("rawtypes")
		public CompletableFuture later() {
			return null;
		}

	}

	@Replicated
	static class WithCollaborator {

		private Runnable listener;

		public void set(int value) {
		}

	}

	@Replicated
	static class WithTransientCollaborator {

		private transient Runnable listener;

		private final Map<String, List<Point>> state = new HashMap<>();

		public void set(int value) {
		}

	}

	@Replicated
	static class GenericState<S> implements ReplicatedState<S> {

		@Override
		public S snapshot() {
			return null;
		}

		@Override
		public void restore(S state) {
		}

	}

	@Replicated
	static class Fine {

		private final List<Point> points = new ArrayList<>();

		public void put(List<Point> points, Map<String, Optional<Point>> named, Optional<Integer> limit) {
		}

		public CompletableFuture<List<Point>> later(String name) {
			return CompletableFuture.completedFuture(List.of());
		}

		@ReadOnly
		public List<Point> read() {
			return this.points;
		}

		@Override
		public String toString() {
			return "Fine";
		}

		static void helper() {
		}

	}

	@Replicated
	static class ReadsAnything {

		@ReadOnly
		public Object find(Object key) {
			return key;
		}

	}

	@Replicated
	static final class FinalBean {

	}

	@Replicated
	static class FinalMethod {

		public final void set(int value) {
		}

	}

}
