package io.viewstamp.autoconfigure;

import io.viewstamp.Replicated;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Makes every {@code @Replicated} bean eager, whatever {@code @Lazy} or
 * {@code spring.main.lazy-initialization} say. Every replica applies every command, so every
 * replica must have every replicated bean before the first command arrives: a lazy one, created
 * on its first local use, would be missing when another replica's command for it came, and the
 * replica would stop rather than skip it.
 */
final class ReplicatedBeansEagerInitializer implements BeanFactoryPostProcessor, Ordered {

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			if (definition.isAbstract() || !definition.isSingleton()) {
				continue;
			}
			Class<?> type = beanFactory.getType(name, false);
			if (type != null && AnnotatedElementUtils.hasAnnotation(type, Replicated.class)) {
				// An explicit false also keeps the lazy-initialization post-processor from setting it.
				definition.setLazyInit(false);
			}
		}
	}

	@Override
	public int getOrder() {
		// After whatever else decides laziness: this one must have the last word.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
