"""A Flask application, loaded as a module: --application-type module --callable-object app."""
from flask import Flask, jsonify, render_template

app = Flask(__name__)


@app.route('/')
def index():
    return render_template('index.html', name='Flask')


@app.route('/api/ping')
def ping():
    return jsonify(pong=True)
