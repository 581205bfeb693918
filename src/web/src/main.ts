// The portal's web UI: one Svelte application mounted on the page; every view is a URL (router.svelte.ts).
import { mount } from 'svelte'
import App from './App.svelte'
import './style.css'

mount(App, { target: document.getElementById('app')! })
