/**
 * Viewstamp's public API: what application code uses to declare and call replicated beans.
 */
package io.viewstamp;
