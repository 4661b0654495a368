/** The Olympus terminal SDK. */
package dev.olympus.client;
