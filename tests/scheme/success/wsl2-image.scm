;; The standard wsl2-image of (gnu system image).
wsl2-image
