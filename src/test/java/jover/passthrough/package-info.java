/**
 * Mount tests of the passthrough data path: data never reaches the daemon, the backing file is
 * the right one before and after copy-up, and the copy-up hazard loses no write.
 */
package jover.passthrough;
